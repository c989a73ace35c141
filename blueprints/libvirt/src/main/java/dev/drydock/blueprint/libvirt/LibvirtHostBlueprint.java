package dev.drydock.blueprint.libvirt;

import dev.drydock.api.CommandInterface;
import dev.drydock.api.CommandResult;
import dev.drydock.api.DrydockException;
import dev.drydock.api.FilesystemInterface;
import dev.drydock.api.ResourceInterface;
import dev.drydock.api.spi.BlueprintImplementation;
import dev.drydock.api.spi.ConfigField;
import dev.drydock.api.spi.ConfigProblem;
import dev.drydock.api.spi.Decision;
import dev.drydock.api.spi.LeaseContext;
import dev.drydock.api.spi.LeaseView;
import dev.drydock.api.spi.Progress;
import dev.drydock.api.spi.ResourceContext;
import dev.drydock.api.spi.Reaper;
import dev.drydock.api.spi.ResourceView;
import dev.drydock.api.spi.SecretResolver;
import dev.drydock.interfaces.ssh.SftpFilesystemInterface;
import dev.drydock.interfaces.ssh.SshConnection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.libvirt.LibvirtException;

/**
 * Hosts that are virtual machines Drydock boots under libvirt (DESIGN §10): each resource is one
 * domain on the hypervisor that scored best when it was built ({@link Placement}), booted from a
 * qcow2 overlay of a base image or from a kernel, with a NoCloud seed carrying the login key and a
 * host key Drydock generated for it, so the key is pinned before first contact. Everything on the
 * hypervisor is named from installation and resource ids ({@link Names}), so a retried step finds
 * what it made; destroying the resource destroys and undefines the domain (NVRAM included) and
 * deletes its volumes, and one already gone counts as done. A domain that disappears or shuts off
 * outside Drydock breaks its resource with the reason. A hypervisor that does not answer a build step
 * is asked again; one that refuses it outright ({@link LibvirtErrors#isRefusal}) fails the build with
 * its answer.
 *
 * <p>Leases get a {@code 0700} directory on the VM; their command and filesystem interfaces are
 * SSH and SFTP rooted there.
 */
public final class LibvirtHostBlueprint implements BlueprintImplementation<LibvirtConfig> {
    public static final String TYPE = "libvirt-host";
    static final String HYPERVISOR = "hypervisor";
    static final String DOMAIN = "domain";
    static final String MAC = "mac";
    static final String HOST_KEY = "host-key";
    static final String HOST_KEY_FINGERPRINT = "host-key-fingerprint";
    static final String ADDRESS = "address";
    static final String DEFINED_AT = "defined-at";
    /** Where leases' directories are made on the VM. */
    static final String ROOT = "/var/tmp/drydock";
    private static final Duration BOOT_RECHECK = Duration.ofMillis(500);
    private static final Duration NO_ROOM_RECHECK = Duration.ofSeconds(30);
    private final Hypervisors hypervisors = new Hypervisors();
    private final GuestAccess guests = new GuestAccess();

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String resourceType() {
        return "host";
    }

    @Override
    public Class<LibvirtConfig> configType() {
        return LibvirtConfig.class;
    }

    @Override
    public List<ConfigField> configFields() {
        return LibvirtFields.ALL;
    }

    @Override
    public List<ConfigProblem> validate(LibvirtConfig config) {
        return ConfigChecks.problems(config);
    }

    @Override
    public int capacity(LibvirtConfig config) {
        return config.capacityOrDefault();
    }

    @Override
    public Map<String, String> attributes(LibvirtConfig config) {
        return config.attributesOrNone();
    }

    /** In user-mode networking, each VM's forwarded SSH port is a slot, so two VMs never share one. */
    @Override
    public List<String> slots(LibvirtConfig config) {
        if (config.network() == null || !config.network().isUserMode()) {
            return List.of();
        }
        int[] ports = config.network().ports();
        return IntStream.rangeClosed(ports[0], ports[1]).mapToObj(Integer::toString).toList();
    }

    @Override
    public Progress allocate(LibvirtConfig config, ResourceContext resource) {
        return activate(config, resource);
    }

    @Override
    public Progress activate(LibvirtConfig config, ResourceContext resource) {
        Map<String, String> attributes = resource.resource().attributes();
        String hypervisor = attributes.getOrDefault(HYPERVISOR, "");
        try {
            if (hypervisor.isEmpty()) {
                return place(config, resource);
            }
            if (!attributes.containsKey(HOST_KEY)) {
                return new VmBuild(config, resource, hypervisors, hypervisor).defineAndStart();
            }
            return new VmBoot(config, resource, hypervisors, guests, hypervisor).check();
        } catch (LibvirtException e) {
            if (LibvirtErrors.isRefusal(e)) {
                // Waiting for another answer would only run out the build timeout minutes later with the cause buried.
                return Progress.failed("hypervisor " + hypervisor + " refused a step of building the VM, and asking again will not"
                        + " change its answer: " + LibvirtErrors.describe(e));
            }
            return Progress.checkAgainIn(Duration.ofSeconds(2), "hypervisor " + hypervisor + " to answer: " + LibvirtErrors.describe(e));
        }
    }

    /** Chooses the hypervisor and records it; the next step defines the VM there. */
    private Progress place(LibvirtConfig config, ResourceContext resource) {
        Placement.Choice choice = Placement.of(config).choose(Publishing.all(config, resource.resource(), hypervisors),
                config.memoryMiBOrDefault(), config.vcpusOrDefault());
        if (choice.chosen().isEmpty()) {
            return Progress.checkAgainIn(NO_ROOM_RECHECK, choice.explain());
        }
        resource.setAttribute(HYPERVISOR, choice.chosen().get());
        resource.log(choice.explain());
        return Progress.checkAgainIn(Duration.ZERO, "its VM to be defined on " + choice.chosen().get());
    }

    @Override
    public Duration healthCheckInterval(LibvirtConfig config) {
        return config.healthCheckInterval();
    }

    @Override
    public Decision checkHealth(LibvirtConfig config, ResourceContext resource) {
        String hypervisor = resource.resource().attributes().get(HYPERVISOR);
        String domain = resource.resource().attributes().get(DOMAIN);
        if (hypervisor == null || domain == null) {
            return Decision.yes();
        }
        try {
            Optional<Boolean> running = hypervisors.with(hypervisor, h -> h.isRunning(domain));
            if (running.isEmpty()) {
                return Decision.no("domain " + domain + " is no longer defined on " + hypervisor + ": it was undefined outside Drydock");
            }
            if (!running.get()) {
                return Decision.no("domain " + domain + " on " + hypervisor + " is shut off: it was stopped outside Drydock, or its guest"
                        + " powered off or crashed");
            }
            return Decision.yes();
        } catch (LibvirtException e) {
            return Decision.yes(); // the hypervisor did not answer now: the next check asks again; a dead VM is found then
        }
    }

    @Override
    public Progress acquireLease(LibvirtConfig config, ResourceContext resource, LeaseContext lease) {
        String dir = leaseDir(resource.resource().id(), lease.lease().id());
        try {
            CommandResult made = GuestAccess.run(commands(config, resource, GuestAccess.HOST_WORKDIR),
                    List.of("mkdir", "-p", "-m", "700", "--", dir));
            if (!made.succeeded()) {
                return Progress.failed("could not create " + dir + " on VM " + domain(resource) + ": " + made.stderrText().strip());
            }
            lease.setAttribute("directory", dir);
            return Progress.done();
        } catch (DrydockException e) {
            guests.evict(resource.resource().id());
            return Progress.checkAgainIn(Duration.ofSeconds(2), "a working SSH connection to VM " + domain(resource) + " (" + e.getMessage() + ")");
        }
    }

    @Override
    public void releaseLease(LibvirtConfig config, ResourceContext resource, LeaseContext lease) {
        String dir = leaseDir(resource.resource().id(), lease.lease().id());
        CommandResult removed = GuestAccess.run(commands(config, resource, GuestAccess.HOST_WORKDIR), List.of("rm", "-rf", "--", dir));
        if (!removed.succeeded()) {
            throw new DrydockException("could not remove " + dir + " on VM " + domain(resource) + ": " + removed.stderrText().strip());
        }
    }

    @Override
    public Progress destroy(LibvirtConfig config, ResourceContext resource) {
        long id = resource.resource().id();
        Thread.ofVirtual().name("drydock-libvirt-evict-" + id).start(() -> guests.evict(id)); // never wait on a guest's sshd
        String hypervisor = resource.resource().attributes().getOrDefault(HYPERVISOR, "");
        if (hypervisor.isEmpty()) {
            return Progress.done(); // never placed: nothing was made
        }
        try {
            new VmBuild(config, resource, hypervisors, hypervisor).remove();
            resource.log("destroyed and undefined domain " + domain(resource) + " and deleted its volumes on " + hypervisor);
            return Progress.done();
        } catch (LibvirtException e) {
            return Progress.checkAgainIn(Duration.ofSeconds(5), "hypervisor " + hypervisor + " to destroy domain " + domain(resource) + ": "
                    + LibvirtErrors.describe(e));
        }
    }

    @Override
    public <T extends ResourceInterface> Optional<T> interfaceFor(LibvirtConfig config, ResourceContext resource, LeaseView lease,
                                                                 Class<T> type) {
        String dir = lease.leaseAttributes().get("directory");
        if (dir == null) {
            return Optional.empty();
        }
        if (type == CommandInterface.class) {
            return Optional.of(type.cast(commands(config, resource, dir)));
        }
        if (type == FilesystemInterface.class) {
            return Optional.of(type.cast(new SftpFilesystemInterface(connection(config, resource), dir)));
        }
        return Optional.empty();
    }

    @Override
    public Optional<Reaper> reaper(LibvirtConfig config, SecretResolver secrets) {
        return Optional.of(new LibvirtReaper(config, hypervisors));
    }

    @Override
    public Duration reapInterval(LibvirtConfig config) {
        return config.reapInterval();
    }

    @Override
    public boolean shouldKeep(LibvirtConfig config, ResourceView resource, Duration idleFor) {
        return idleFor.compareTo(config.keepIdle()) < 0;
    }

    @Override
    public Duration buildTimeout(LibvirtConfig config) {
        return config.bootTimeout().plusMinutes(1);
    }

    @Override
    public void close() {
        guests.close();
        hypervisors.close();
    }

    private CommandInterface commands(LibvirtConfig config, ResourceContext resource, String dir) {
        return guests.commands(connection(config, resource), dir);
    }

    private Supplier<SshConnection> connection(LibvirtConfig config, ResourceContext resource) {
        Map<String, String> attributes = resource.resource().attributes();
        String address = attributes.get(ADDRESS);
        String hostKey = attributes.get(HOST_KEY);
        if (address == null || hostKey == null) {
            throw new IllegalStateException("VM " + domain(resource) + " of resource " + resource.resource().id() + " is not ready yet");
        }
        return guests.connection(config, resource, address, hostKey);
    }

    static String domain(ResourceContext resource) {
        return resource.resource().attributes().getOrDefault(DOMAIN, "(not defined yet)");
    }

    private static String leaseDir(long resourceId, long leaseId) {
        return ROOT + "/resource-" + resourceId + "/lease-" + leaseId;
    }
}
