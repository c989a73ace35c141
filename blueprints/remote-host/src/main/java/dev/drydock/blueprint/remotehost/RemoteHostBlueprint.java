package dev.drydock.blueprint.remotehost;

import dev.drydock.api.Command;
import dev.drydock.api.CommandInterface;
import dev.drydock.api.CommandResult;
import dev.drydock.api.FilesystemInterface;
import dev.drydock.api.ResourceInterface;
import dev.drydock.api.spi.BlueprintImplementation;
import dev.drydock.api.spi.ConfigProblem;
import dev.drydock.api.spi.Decision;
import dev.drydock.api.spi.LeaseContext;
import dev.drydock.api.spi.LeaseView;
import dev.drydock.api.spi.Progress;
import dev.drydock.api.spi.ResourceContext;
import dev.drydock.api.spi.ResourceView;
import dev.drydock.interfaces.ssh.SftpFilesystemInterface;
import dev.drydock.interfaces.ssh.SshCommandInterface;
import dev.drydock.interfaces.ssh.SshConnection;
import dev.drydock.interfaces.ssh.SshConnections;
import dev.drydock.interfaces.ssh.SshCredentials;
import dev.drydock.interfaces.ssh.SshException;
import dev.drydock.interfaces.ssh.SshTarget;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A pool of SSH-reachable hosts. Each host is a slot: at most one resource at a time (the engine's
 * slot lock), holding up to {@code capacity} leases, each in its own directory
 * {@code ROOT/resource-ID/lease-ID} on the host. Activation proves the host answers (connect with
 * its verified host key, authenticate, run {@code true}) and records its OS, cores and memory.
 * One authenticated connection per resource is reused by every command and file transfer, kept
 * alive and re-opened when it drops. Hosts can be added, disabled or removed in the configuration
 * without touching leases in flight: a host no longer enabled takes no new leases, and its idle
 * resource is destroyed.
 */
public final class RemoteHostBlueprint implements BlueprintImplementation<RemoteHostConfig> {
    public static final String TYPE = "remote-host";
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(10);
    /**
     * Where host-level commands (checks, creating and removing lease directories) run: the SSH
     * command interface confines every command to a real directory, and /tmp exists on any host.
     */
    private static final String HOST_WORKDIR = "/tmp";

    private final SshConnections connections = new SshConnections();

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String resourceType() {
        return "host";
    }

    @Override
    public Class<RemoteHostConfig> configType() {
        return RemoteHostConfig.class;
    }

    @Override
    public java.util.Map<String, String> attributes(RemoteHostConfig config) {
        return config.attributesOrNone();
    }

    @Override
    public List<dev.drydock.api.spi.ConfigField> configFields() {
        return ConfigFields.ALL;
    }

    /** At create and update: also that each secret reference is in a scheme this Drydock reads (nothing is read). */
    @Override
    public List<ConfigProblem> validate(RemoteHostConfig config, dev.drydock.api.spi.SecretResolver secrets) {
        List<ConfigProblem> problems = new java.util.ArrayList<>(validate(config));
        problems.addAll(ConfigChecks.unreadSchemes(config, secrets));
        return problems;
    }

    @Override
    public List<ConfigProblem> validate(RemoteHostConfig config) {
        return ConfigChecks.problems(config);
    }

    @Override
    public int capacity(RemoteHostConfig config) {
        return config.capacityOrDefault();
    }

    @Override
    public List<String> slots(RemoteHostConfig config) {
        return config.hosts().stream().filter(RemoteHostConfig.Host::isEnabled).map(RemoteHostConfig.Host::name).toList();
    }

    @Override
    public Duration healthCheckInterval(RemoteHostConfig config) {
        return Duration.ofSeconds(config.healthCheckSecondsOrDefault());
    }

    @Override
    public Progress allocate(RemoteHostConfig config, ResourceContext resource) {
        return Progress.done(); // the slot names the host; activate proves it works
    }

    @Override
    public Progress activate(RemoteHostConfig config, ResourceContext resource) {
        Optional<RemoteHostConfig.Host> host = host(config, resource.resource());
        if (host.isEmpty()) {
            return Progress.failed("host " + slot(resource.resource()) + " is no longer in the pool");
        }
        try {
            CommandInterface commands = commands(config, resource, HOST_WORKDIR); // the resource directory does not exist yet
            check(run(commands, "true"), host.get());
            check(run(commands, "mkdir", "-p", "--", resourceDir(config, resource.resource().id())), host.get());
            resource.setAttribute("host", host.get().name());
            resource.setAttribute("address", host.get().address() + ":" + host.get().portOrDefault());
            resource.setAttribute("os", run(commands, "uname", "-sr").stdoutText().strip());
            resource.setAttribute("cores", run(commands, "nproc").stdoutText().strip());
            resource.setAttribute("memory_kb", run(commands, "awk", "/MemTotal/ {print $2}", "/proc/meminfo").stdoutText().strip());
            resource.log("host " + host.get().name() + " answers: " + resource.resource().attributes().getOrDefault("os", "ok"));
            return Progress.done();
        } catch (dev.drydock.api.DrydockException | IllegalStateException e) {
            connections.evict(key(resource.resource()));
            return Progress.failed(e.getMessage());
        }
    }

    @Override
    public Decision checkHealth(RemoteHostConfig config, ResourceContext resource) {
        Optional<RemoteHostConfig.Host> host = host(config, resource.resource());
        if (host.isEmpty()) {
            return Decision.yes(); // removed hosts are retired when idle (shouldKeep), not broken under their leases
        }
        try {
            CommandResult result = commands(config, resource, HOST_WORKDIR).run(Command.builder(List.of("true")).timeout(CHECK_TIMEOUT).build());
            return result.succeeded() ? Decision.yes()
                    : Decision.no("host " + host.get().name() + " (" + host.get().address() + ":" + host.get().portOrDefault()
                            + ") failed its check: `true` exited " + result.exitCode() + (result.timedOut() ? " (timed out)" : ""));
        } catch (SshException e) {
            connections.evict(key(resource.resource()));
            return Decision.no("host " + host.get().name() + " stopped answering: " + e.getMessage());
        }
    }

    @Override
    public Decision canAcquire(RemoteHostConfig config, ResourceView resource, LeaseView lease) {
        Optional<RemoteHostConfig.Host> host = host(config, resource);
        if (host.isEmpty()) {
            return Decision.no("host " + slot(resource) + " was removed from the pool");
        }
        return host.get().isEnabled() ? Decision.yes() : Decision.no("host " + host.get().name() + " is disabled");
    }

    @Override
    public boolean shouldKeep(RemoteHostConfig config, ResourceView resource, Duration idleFor) {
        return host(config, resource).map(RemoteHostConfig.Host::isEnabled).orElse(false);
    }

    @Override
    public Progress acquireLease(RemoteHostConfig config, ResourceContext resource, LeaseContext lease) {
        String dir = leaseDir(config, resource.resource().id(), lease.lease().id());
        try {
            CommandResult made = run(commands(config, resource, HOST_WORKDIR), "mkdir", "-p", "-m", "700", "--", dir);
            if (!made.succeeded()) {
                return Progress.failed("could not create " + dir + " on " + slot(resource.resource()) + ": " + made.stderrText().strip());
            }
            lease.setAttribute("directory", dir);
            return Progress.done();
        } catch (dev.drydock.api.DrydockException e) {
            // SSH failures, and also a secret that cannot be read or a key that does not parse
            return Progress.failed(e.getMessage());
        }
    }

    @Override
    public void releaseLease(RemoteHostConfig config, ResourceContext resource, LeaseContext lease) {
        String dir = leaseDir(config, resource.resource().id(), lease.lease().id());
        CommandResult removed = run(commands(config, resource, HOST_WORKDIR), "rm", "-rf", "--", dir);
        if (!removed.succeeded()) {
            throw new IllegalStateException("could not remove " + dir + " on " + slot(resource.resource()) + ": " + removed.stderrText().strip());
        }
        lease.log("lease directory " + dir + " removed from " + slot(resource.resource()));
    }

    @Override
    public Progress destroy(RemoteHostConfig config, ResourceContext resource) {
        try {
            if (host(config, resource.resource()).isPresent()) {
                run(commands(config, resource, HOST_WORKDIR), "rm", "-rf", "--", resourceDir(config, resource.resource().id()));
            }
        } catch (SshException e) {
            resource.log("could not clean " + resourceDir(config, resource.resource().id()) + " (" + e.getMessage()
                    + "); the host is gone or unreachable, nothing else to undo");
        } finally {
            connections.evict(key(resource.resource()));
        }
        return Progress.done();
    }

    @Override
    public <T extends ResourceInterface> Optional<T> interfaceFor(RemoteHostConfig config, ResourceContext resource, LeaseView lease,
                                                                 Class<T> type) {
        String dir = leaseDir(config, resource.resource().id(), lease.id());
        if (type == CommandInterface.class) {
            return Optional.of(type.cast(commands(config, resource, dir)));
        }
        if (type == FilesystemInterface.class) {
            return Optional.of(type.cast(new SftpFilesystemInterface(connection(config, resource), dir)));
        }
        return Optional.empty();
    }

    private CommandInterface commands(RemoteHostConfig config, ResourceContext resource, String dir) {
        return new SshCommandInterface(connection(config, resource), dir);
    }

    private Supplier<SshConnection> connection(RemoteHostConfig config, ResourceContext resource) {
        RemoteHostConfig.Host host = host(config, resource.resource()).orElseThrow(() ->
                new IllegalStateException("host " + slot(resource.resource()) + " is no longer in the pool"));
        SshTarget target = new SshTarget(host.address(), host.portOrDefault(), host.user(), host.hostKey());
        return () -> connections.get(key(resource.resource()), target, credentials(config, host, resource), CONNECT_TIMEOUT);
    }

    private static SshCredentials credentials(RemoteHostConfig config, RemoteHostConfig.Host host, ResourceContext resource) {
        String keyReference = host.privateKey() != null ? host.privateKey() : config.privateKey();
        return new SshCredentials(resource.secret(keyReference),
                Optional.ofNullable(config.passphrase()).map(resource::secret).map(String::strip));
    }

    private static CommandResult run(CommandInterface commands, String... argv) {
        return commands.run(Command.builder(List.of(argv)).timeout(CHECK_TIMEOUT).build());
    }

    private static void check(CommandResult result, RemoteHostConfig.Host host) {
        if (!result.succeeded()) {
            throw new IllegalStateException("host " + host.name() + " answered but a check command failed (exit " + result.exitCode()
                    + "): " + result.stderrText().strip());
        }
    }

    private static Optional<RemoteHostConfig.Host> host(RemoteHostConfig config, ResourceView resource) {
        String slot = slot(resource);
        return config.hosts().stream().filter(h -> h.name().equals(slot)).findFirst();
    }

    private static String slot(ResourceView resource) {
        return resource.attributes().getOrDefault(SLOT, "?");
    }

    private static String key(ResourceView resource) {
        return "resource-" + resource.id();
    }

    private static String resourceDir(RemoteHostConfig config, long resourceId) {
        return config.rootOrDefault().replaceAll("/+$", "") + "/resource-" + resourceId;
    }

    private static String leaseDir(RemoteHostConfig config, long resourceId, long leaseId) {
        return resourceDir(config, resourceId) + "/lease-" + leaseId;
    }

    /** Closes the SSH connections kept for reuse across steps. */
    @Override
    public void close() {
        connections.close();
    }
}
