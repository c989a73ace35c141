package dev.drydock.blueprint.ec2;

import dev.drydock.api.Command;
import dev.drydock.api.CommandInterface;
import dev.drydock.api.CommandResult;
import dev.drydock.api.spi.ResourceContext;
import dev.drydock.interfaces.ssh.SshCommandInterface;
import dev.drydock.interfaces.ssh.SshConnection;
import dev.drydock.interfaces.ssh.SshConnections;
import dev.drydock.interfaces.ssh.SshCredentials;
import dev.drydock.interfaces.ssh.SshTarget;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * SSH to the instances of the blueprint: one authenticated connection per resource, reused by every
 * command and file transfer, always with a pinned host key (the one the console output printed, or
 * the one recorded on first use).
 */
final class HostAccess implements AutoCloseable {
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);
    /** Where host-level commands run: the SSH command interface needs a real directory, and /tmp exists everywhere. */
    static final String HOST_WORKDIR = "/tmp";
    private final SshConnections connections = new SshConnections();

    /** Whether {@code port} accepts a TCP connection within a second. */
    static boolean portOpen(String address, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    Supplier<SshConnection> connection(Ec2HostConfig config, ResourceContext resource, String address, String hostKey) {
        SshTarget target = new SshTarget(address, config.sshPortOrDefault(), config.sshUserOrDefault(), hostKey);
        SshCredentials credentials = new SshCredentials(resource.secret(config.privateKey()), Optional.empty());
        return () -> connections.get(key(resource), target, credentials, CONNECT_TIMEOUT);
    }

    CommandInterface commands(Supplier<SshConnection> connection, String directory) {
        return new SshCommandInterface(connection, directory);
    }

    static CommandResult run(CommandInterface commands, List<String> argv) {
        return commands.run(Command.builder(argv).timeout(COMMAND_TIMEOUT).build());
    }

    void evict(ResourceContext resource) {
        connections.evict(key(resource));
    }

    private static String key(ResourceContext resource) {
        return "resource-" + resource.resource().id();
    }

    @Override
    public void close() {
        connections.close();
    }
}
