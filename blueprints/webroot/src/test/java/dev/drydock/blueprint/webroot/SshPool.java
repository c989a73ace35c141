package dev.drydock.blueprint.webroot;

import dev.drydock.testing.SshHost;
import dev.drydock.testing.SshKeygen;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Real sshd hosts, each on a loopback address of its own (so web roots on them listen on different
 * addresses), letting in one user key; the configuration of a remote-host pool of them. Their lease
 * directories are on this machine, so a test can look at what they hold.
 */
final class SshPool implements AutoCloseable {
    final List<SshHost> hosts;
    private final Path userKey;

    SshPool(Path keyDirectory, String... addresses) {
        userKey = keyDirectory.resolve("user_key");
        SshKeygen.generate(userKey, "drydock-webroot-test");
        String authorized = read(SshKeygen.publicKeyOf(userKey));
        hosts = java.util.Arrays.stream(addresses).map(address -> SshHost.start(address, freePort(address), authorized)).toList();
    }

    /** A pool of every host, each holding up to {@code capacity} leases, with lease directories under {@code root}. */
    String config(int capacity, Path root) {
        String list = IntStream.range(0, hosts.size()).mapToObj(i -> {
            SshHost h = hosts.get(i);
            return "{\"name\": \"h" + i + "\", \"address\": \"" + h.host() + "\", \"port\": " + h.port() + ", \"user\": \"" + h.user()
                    + "\", \"hostKey\": \"" + h.hostKeyFingerprint() + "\"}";
        }).collect(Collectors.joining(", "));
        return "{\"hosts\": [" + list + "], \"privateKey\": \"file:" + userKey + "\", \"capacity\": " + capacity + ", \"root\": \""
                + root + "\", \"healthCheckSeconds\": 1}";
    }

    /** The host whose recorded {@code address} (IP:port) is this. */
    SshHost at(String address) {
        return hosts.stream().filter(h -> (h.host() + ":" + h.port()).equals(address)).findFirst()
                .orElseThrow(() -> new AssertionError("no host of the pool at " + address));
    }

    @Override
    public void close() {
        hosts.forEach(SshHost::close);
    }

    private static int freePort(String address) {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(address))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
