package dev.drydock.blueprint.localhost;

import dev.drydock.api.CommandInterface;
import dev.drydock.api.FilesystemInterface;
import dev.drydock.api.ResourceInterface;
import dev.drydock.api.spi.AttributeNames;
import dev.drydock.api.spi.BlueprintImplementation;
import dev.drydock.api.spi.ConfigField;
import dev.drydock.api.spi.ConfigProblem;
import dev.drydock.api.spi.Decision;
import dev.drydock.api.spi.LeaseContext;
import dev.drydock.api.spi.LeaseView;
import dev.drydock.api.spi.Progress;
import dev.drydock.api.spi.ResourceContext;
import dev.drydock.api.spi.ResourceView;
import dev.drydock.api.spi.RootDirectory;
import dev.drydock.interfaces.local.LocalCommandInterface;
import dev.drydock.interfaces.local.LocalFilesystemInterface;
import dev.drydock.interfaces.local.TreeDeletion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Hosts that are slots on the machine the taskmaster runs on. A resource is a directory
 * {@code ROOT/resource-ID}; each lease works in {@code ROOT/resource-ID/lease-ID}, created {@code 0700}
 * (only the user Drydock runs as may enter it) when the lease is acquired and removed with everything in it when it is released. Directory names carry
 * the resource and lease ids, so leftovers can be traced to their rows.
 *
 * <p>So every lease creates and removes a directory. At hundreds of leases a second, put the root
 * where that is cheap: a tmpfs, or a journaled ext4 or XFS. On ext4 without a journal, creating an
 * inode skips every inode of its group deleted in the last 30 s to 5 min, and the lease benchmark
 * spent 14 % of its machine there (docs/benchmarks.md).
 */
public final class LocalHostBlueprint implements BlueprintImplementation<LocalHostConfig> {
    public static final String TYPE = "local-host";
    private static final Set<PosixFilePermission> PRIVATE = PosixFilePermissions.fromString("rwx------");

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String resourceType() {
        return "host";
    }

    @Override
    public Class<LocalHostConfig> configType() {
        return LocalHostConfig.class;
    }

    @Override
    public List<ConfigField> configFields() {
        return List.of(
                new ConfigField("root", "text", "required: an absolute directory below / under which each slot and lease gets its own"
                        + " directory, e.g. /var/lib/drydock/hosts"),
                new ConfigField("capacity", "whole number", "leases one slot holds at once, 1 to 10000 (default 1)"),
                new ConfigField("keepIdle", "true or false", "keep an idle slot for reuse (default true) or destroy it at once"),
                new ConfigField("attributes", "object of text", "facts every slot has, which a lease may require with"
                        + " --attr NAME=VALUE (default none)"),
                new ConfigField("buildDelaySeconds", "number", "how long building a slot takes at least, 0 to 600, e.g. 2 or 0.5"
                        + " (default 0: ready at once); for tests and benchmarks of builds that take time"),
                new ConfigField("healthCheckSeconds", "whole number", "how often to check that each slot's directory is still there,"
                        + " 1 to 86400 (default: never); a slot whose directory is gone breaks, and its leases with it"));
    }

    @Override
    public List<ConfigProblem> validate(LocalHostConfig config) {
        List<ConfigProblem> problems = new ArrayList<>();
        RootDirectory.problem(config.root(), "/var/lib/drydock/hosts").ifPresent(p -> problems.add(new ConfigProblem("root", p)));
        if (config.capacityOrDefault() < 1 || config.capacityOrDefault() > 10_000) {
            problems.add(new ConfigProblem("capacity", "leases per host must be 1 to 10000, was " + config.capacity()));
        }
        AttributeNames.problems(config.attributesOrNone()).forEach(problems::add);
        Double delay = config.buildDelaySeconds();
        if (delay != null && !(delay >= 0 && delay <= LocalHostConfig.MAX_BUILD_DELAY_SECONDS)) {
            problems.add(new ConfigProblem("buildDelaySeconds", "must be 0 to 600 seconds, was " + delay + " (default 0: no delay)"));
        }
        Integer health = config.healthCheckSeconds();
        if (health != null && (health < 1 || health > 86_400)) {
            problems.add(new ConfigProblem("healthCheckSeconds", "must be 1 to 86400 seconds, was " + health + " (default: never)"));
        }
        return problems;
    }

    @Override
    public Duration healthCheckInterval(LocalHostConfig config) {
        return config.healthCheckInterval();
    }

    /** A slot is healthy while its directory is there: removing it is how an operator (or a test) breaks one. */
    @Override
    public Decision checkHealth(LocalHostConfig config, ResourceContext resource) {
        Path dir = resourceDir(config, resource.resource().id());
        return Files.isDirectory(dir) ? Decision.yes() : Decision.no("its directory " + dir + " is gone");
    }

    @Override
    public java.util.Map<String, String> attributes(LocalHostConfig config) {
        return config.attributesOrNone();
    }

    @Override
    public int capacity(LocalHostConfig config) {
        return config.capacityOrDefault();
    }

    @Override
    public Progress allocate(LocalHostConfig config, ResourceContext resource) {
        Path dir = resourceDir(config, resource.resource().id());
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            return Progress.failed("cannot create " + dir + ": " + e.getMessage());
        }
        resource.setAttribute("directory", dir.toString());
        resource.setAttribute("cores", Integer.toString(Runtime.getRuntime().availableProcessors()));
        resource.log("slot directory " + dir + " created");
        Duration delay = config.buildDelay();
        if (delay.isPositive()) {
            // Yields the build's task rather than sleeping on a worker; the engine calls activate when it is up.
            return Progress.checkAgainIn(delay, "the configured build delay of " + config.buildDelaySeconds() + " s");
        }
        return Progress.done();
    }

    /** Reached only after {@link #allocate}'s build delay, which the engine waited out: the slot is ready. */
    @Override
    public Progress activate(LocalHostConfig config, ResourceContext resource) {
        return Progress.done();
    }

    @Override
    public Progress acquireLease(LocalHostConfig config, ResourceContext resource, LeaseContext lease) {
        Path dir = leaseDir(config, resource.resource().id(), lease.lease().id());
        try {
            createPrivateDirectory(dir);
        } catch (IOException e) {
            return Progress.failed("cannot create the lease directory " + dir + ": " + e.getMessage());
        }
        lease.setAttribute("directory", dir.toString());
        return Progress.done();
    }

    @Override
    public void releaseLease(LocalHostConfig config, ResourceContext resource, LeaseContext lease) {
        Path dir = leaseDir(config, resource.resource().id(), lease.lease().id());
        // No log line of its own: the directory is in the lease's attributes, and the transition to
        // DESTROYED that follows says the lease was cleaned up on this resource. A line per lease
        // was a sixth of the log rows a lease writes, on the path every lease takes.
        deleteTree(dir);
    }

    /** A lease's directory is made and removed on this machine, under its resource's own directory. */
    @Override
    public boolean acquiresLeasesAhead(LocalHostConfig config) {
        return true;
    }

    @Override
    public Progress destroy(LocalHostConfig config, ResourceContext resource) {
        deleteTree(resourceDir(config, resource.resource().id()));
        return Progress.done();
    }

    @Override
    public <T extends ResourceInterface> Optional<T> interfaceFor(LocalHostConfig config, ResourceContext resource, LeaseView lease,
                                                                 Class<T> type) {
        Path dir = leaseDir(config, resource.resource().id(), lease.id());
        if (type == CommandInterface.class) {
            return Optional.of(type.cast(new LocalCommandInterface(dir)));
        }
        if (type == FilesystemInterface.class) {
            return Optional.of(type.cast(new LocalFilesystemInterface(dir)));
        }
        return Optional.empty();
    }

    @Override
    public boolean shouldKeep(LocalHostConfig config, ResourceView resource, Duration idleFor) {
        return config.keep();
    }

    private static Path resourceDir(LocalHostConfig config, long resourceId) {
        return Path.of(config.root()).resolve("resource-" + resourceId);
    }

    private static Path leaseDir(LocalHostConfig config, long resourceId, long leaseId) {
        return resourceDir(config, resourceId).resolve("lease-" + leaseId);
    }

    /**
     * A lease's files are its holder's alone: the directory is created {@code 0700} (never wider,
     * not even for a moment) and made {@code 0700} again if an earlier attempt left it.
     */
    private static void createPrivateDirectory(Path dir) throws IOException {
        Files.createDirectories(dir.getParent());
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PRIVATE));
        } catch (FileAlreadyExistsException e) {
            // acquired again after a crash: the same directory, made private below
        }
        Files.setPosixFilePermissions(dir, PRIVATE);
    }

    /** Deletes a tree without following symbolic links out of it; a missing tree is fine (idempotent). */
    private static void deleteTree(Path root) {
        if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try {
            TreeDeletion.delete(root);
        } catch (IOException e) {
            throw new dev.drydock.api.DrydockException("could not remove " + root + ": " + e.getMessage(), e);
        }
    }
}
