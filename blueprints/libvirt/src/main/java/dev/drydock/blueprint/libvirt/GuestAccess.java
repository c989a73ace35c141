package dev.drydock.blueprint.libvirt;

import dev.drydock.api.Command;
import dev.drydock.api.CommandInterface;
import dev.drydock.api.CommandResult;
import dev.drydock.api.spi.ResourceContext;
import dev.drydock.interfaces.ssh.SshCommandInterface;
import dev.drydock.interfaces.ssh.SshConnection;
import dev.drydock.interfaces.ssh.SshConnections;
import dev.drydock.interfaces.ssh.SshCredentials;
import dev.drydock.interfaces.ssh.SshTarget;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * SSH to the blueprint's VMs: one authenticated connection per resource, reused by every command
 * and file transfer, always checked against the host key Drydock generated for the VM and put in
 * its seed, so a guest offering any other key is refused before a password or command is sent.
 */
final class GuestAccess implements AutoCloseable {
    /**
     * How long the guest's SSH server may take to answer a connection or a channel request. Emulated
     * guests (TCG, no KVM) on a busy host stall for seconds at a time: with three such guests on two
     * cores, a channel request once waited more than 10 s.
     */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);
    /** Where host-level commands run: the SSH command interface needs a real directory, and /tmp exists everywhere. */
    static final String HOST_WORKDIR = "/tmp";
    private final SshConnections connections = new SshConnections();

    /**
     * The connection to the VM at {@code address} ({@code host:port}, as recorded on the resource),
     * pinned to {@code hostKey} ({@code ssh-ed25519 AAAA… [comment]}).
     */
    Supplier<SshConnection> connection(LibvirtConfig config, ResourceContext resource, String address, String hostKey) {
        int colon = address.lastIndexOf(':');
        String host = address.substring(0, colon);
        int port = Integer.parseInt(address.substring(colon + 1));
        SshTarget target = new SshTarget(host, port, config.sshUserOrDefault(), GuestKeys.knownHostsLine(hostKey, host, port));
        SshCredentials credentials = new SshCredentials(resource.secret(config.privateKey()), Optional.empty());
        return () -> connections.get(key(resource.resource().id()), target, credentials, CONNECT_TIMEOUT);
    }

    CommandInterface commands(Supplier<SshConnection> connection, String directory) {
        return new SshCommandInterface(connection, directory);
    }

    static CommandResult run(CommandInterface commands, List<String> argv) {
        return commands.run(Command.builder(argv).timeout(COMMAND_TIMEOUT).build());
    }

    void evict(long resourceId) {
        connections.evict(key(resourceId));
    }

    private static String key(long resourceId) {
        return "resource-" + resourceId;
    }

    @Override
    public void close() {
        connections.close();
    }
}
