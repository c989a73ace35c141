package dev.drydock.blueprint.ec2;

import dev.drydock.api.CommandInterface;
import dev.drydock.api.CommandResult;
import dev.drydock.api.FilesystemInterface;
import dev.drydock.api.ResourceInterface;
import dev.drydock.api.spi.BlueprintImplementation;
import dev.drydock.api.spi.ConfigField;
import dev.drydock.api.spi.ConfigProblem;
import dev.drydock.api.spi.Decision;
import dev.drydock.api.spi.LeaseContext;
import dev.drydock.api.spi.LeaseView;
import dev.drydock.api.spi.ObjectTags;
import dev.drydock.api.spi.Progress;
import dev.drydock.api.spi.Reaper;
import dev.drydock.api.spi.ResourceContext;
import dev.drydock.api.spi.ResourceView;
import dev.drydock.api.spi.SecretResolver;
import dev.drydock.interfaces.ssh.SftpFilesystemInterface;
import dev.drydock.interfaces.ssh.SshConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * Hosts that Drydock boots in EC2 (DESIGN §10) and reaches over SSH, one instance per resource.
 * A build launches one instance (with a ClientToken of the resource's attempt, tagged at launch)
 * and then follows it through one listing per blueprint per interval: running, its SSH port open,
 * an SSH handshake with the host key its console output printed, and a readiness command. EC2's
 * errors are answered by class ({@link Ec2Errors}). Destroy terminates and waits until EC2 reports
 * the instance terminated; the reaper terminates tagged instances whose resource is gone.
 */
public final class Ec2HostBlueprint implements BlueprintImplementation<Ec2HostConfig> {
    public static final String TYPE = "ec2-host";
    static final String INSTANCE_ID = "instance_id";
    static final String HOST_KEY = "host_key";
    static final String ADDRESS = "address";
    static final String ATTEMPT = "ec2.attempt";
    static final String LAUNCHED_AT = "ec2.launched_at";
    static final String THROTTLES = "ec2.throttles";
    static final String TERMINATING_SINCE = "ec2.terminating_since";
    /** How long an instance may stay unlisted after its launch before it counts as gone (EC2 is eventually consistent). */
    static final Duration NOT_VISIBLE_GRACE = Duration.ofMinutes(2);

    private final Ec2Clients clients = new Ec2Clients();
    private final HostAccess hosts = new HostAccess();
    private final Map<Long, Fleet> fleets = new ConcurrentHashMap<>();
    private final Map<String, BuildGate> gates = new ConcurrentHashMap<>();

    /** One blueprint's shared listing and call budget in this process. */
    private record Fleet(InstanceListing listing, CallBudget budget) {}

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String resourceType() {
        return "host";
    }

    @Override
    public Class<Ec2HostConfig> configType() {
        return Ec2HostConfig.class;
    }

    @Override
    public List<ConfigField> configFields() {
        return Ec2ConfigFields.ALL;
    }

    @Override
    public List<ConfigProblem> validate(Ec2HostConfig config) {
        return Ec2ConfigChecks.problems(config);
    }

    @Override
    public List<ConfigProblem> validate(Ec2HostConfig config, SecretResolver secrets) {
        List<ConfigProblem> problems = new ArrayList<>(validate(config));
        if (problems.isEmpty()) {
            problems.addAll(Ec2ConfigChecks.unreadable(config, secrets));
        }
        return problems;
    }

    @Override
    public int capacity(Ec2HostConfig config) {
        return config.capacityOrDefault();
    }

    @Override
    public Map<String, String> attributes(Ec2HostConfig config) {
        return config.attributesOrNone();
    }

    @Override
    public Decision canAllocate(Ec2HostConfig config, LeaseView lease) {
        return gate(config).decide(config);
    }

    @Override
    public Duration buildTimeout(Ec2HostConfig config) {
        return config.bootTimeout();
    }

    @Override
    public Duration healthCheckInterval(Ec2HostConfig config) {
        return config.healthCheckInterval();
    }

    @Override
    public boolean shouldKeep(Ec2HostConfig config, ResourceView resource, Duration idleFor) {
        return idleFor.compareTo(config.keepIdle()) < 0;
    }

    @Override
    public Progress allocate(Ec2HostConfig config, ResourceContext resource) {
        return build(config, resource);
    }

    @Override
    public Progress activate(Ec2HostConfig config, ResourceContext resource) {
        return build(config, resource);
    }

    /** Launches the instance if this resource has none yet, else follows it until it is ready. */
    private Progress build(Ec2HostConfig config, ResourceContext resource) {
        Map<String, String> attributes = resource.resource().attributes();
        return attributes.containsKey(INSTANCE_ID) ? new Readiness(config, resource, this).check(attributes.get(INSTANCE_ID))
                : launch(config, resource);
    }

    private Progress launch(Ec2HostConfig config, ResourceContext resource) {
        ResourceView view = resource.resource();
        List<Placement> placements = Placement.all(config);
        int attempt = number(view.attributes().get(ATTEMPT));
        if (attempt >= placements.size()) {
            return Progress.failed("EC2 had no capacity for any of " + placements);
        }
        int warm = gate(config).firstWarm(placements, attempt);
        if (warm != attempt) {
            // recorded before the launch, so a step run again after a crash asks with the same ClientToken
            resource.setAttribute(ATTEMPT, Integer.toString(warm));
            resource.log("skipping " + placements.subList(attempt, warm) + ": EC2 had no capacity there lately");
            return Progress.checkAgainIn(Duration.ZERO, "a placement with capacity");
        }
        Placement placement = placements.get(attempt);
        CallBudget budget = fleet(config, view).budget();
        if (!budget.take()) {
            return budget.checkAgain();
        }
        ObjectTags owner = ObjectTags.of(view);
        try {
            var instance = Launcher.launch(ec2(config, resource), config, owner, view.blueprintName(), attempt, placement);
            gate(config).launched(placement);
            resource.setAttribute(INSTANCE_ID, instance.instanceId());
            resource.setAttribute(LAUNCHED_AT, Instant.now().toString());
            resource.setAttribute("instance_type", placement.instanceType());
            resource.setAttribute("subnet", placement.subnet());
            resource.setAttribute("market", placement.spot() ? "spot" : "on-demand");
            resource.log("launched instance " + instance.instanceId() + " (" + placement + ")");
            return Progress.checkAgainIn(untilNextListing(config, resource), "instance " + instance.instanceId() + " to start");
        } catch (software.amazon.awssdk.awscore.exception.AwsServiceException e) {
            return switch (Ec2Errors.classify(e)) {
                case Ec2Errors.Throttled t -> {
                    int throttles = number(view.attributes().get(THROTTLES)) + 1;
                    resource.setAttribute(THROTTLES, Integer.toString(throttles));
                    yield Progress.checkAgainIn(Duration.ofSeconds(Math.min(60, 1L << Math.min(throttles, 6))),
                            "EC2 throttling the blueprint's calls (" + t.code() + "); backing off");
                }
                case Ec2Errors.NoCapacity n -> {
                    gate(config).cold(placement, BuildGate.COLD_FOR);
                    resource.setAttribute(ATTEMPT, Integer.toString(attempt + 1));
                    resource.log("no capacity for " + placement + " (" + n.code() + "); trying the next placement");
                    yield attempt + 1 < placements.size() ? Progress.checkAgainIn(Duration.ofMillis(50), "a placement with capacity")
                            : Progress.failed("EC2 had no capacity for any of " + placements + " (last: " + n.code() + ": " + n.message() + ")");
                }
                case Ec2Errors.Quota q -> {
                    gate(config).quotaReached("EC2 quota reached (" + q.code() + ": " + q.message() + ")", config.quotaPause());
                    yield Progress.failed("EC2 quota reached (" + q.code() + ": " + q.message() + "); the blueprint pauses its builds");
                }
                case Ec2Errors.InvalidConfig bad -> {
                    String reason = "EC2 refused config." + bad.field() + " (" + bad.code() + ": " + bad.message() + ")";
                    gate(config).refuse(config, reason);
                    yield Progress.failed(reason);
                }
                case Ec2Errors.NotFound n -> throw e;
                case Ec2Errors.Other o -> throw e;
            };
        }
    }

    @Override
    public Decision checkHealth(Ec2HostConfig config, ResourceContext resource) {
        String id = resource.resource().attributes().get(INSTANCE_ID);
        if (id == null) {
            return Decision.yes();
        }
        Optional<InstanceListing.Snapshot> listed = listing(config, resource, config.listInterval());
        if (listed.isEmpty()) {
            return Decision.yes(); // no call budget now: the next check asks again
        }
        Optional<InstanceFacts> instance = listed.get().instance(id);
        if (instance.isEmpty()) {
            return Decision.no("instance " + id + " is no longer listed: it was terminated outside Drydock");
        }
        if (instance.get().isEnding()) {
            return Decision.no("instance " + id + " is " + instance.get().state() + instance.get().stateReason().map(r -> " (" + r + ")").orElse("")
                    + ": a spot interruption, or stopped or terminated outside Drydock");
        }
        return Decision.yes();
    }

    @Override
    public Progress acquireLease(Ec2HostConfig config, ResourceContext resource, LeaseContext lease) {
        String dir = leaseDir(config, resource.resource().id(), lease.lease().id());
        try {
            CommandResult made = HostAccess.run(commands(config, resource, HostAccess.HOST_WORKDIR), List.of("mkdir", "-p", "-m", "700", "--", dir));
            if (!made.succeeded()) {
                return Progress.failed("could not create " + dir + " on instance " + instanceId(resource) + ": " + made.stderrText().strip());
            }
            lease.setAttribute("directory", dir);
            return Progress.done();
        } catch (dev.drydock.api.DrydockException e) {
            // a connection that failed now (a busy host, a dropped link) is tried again; an instance that is
            // really gone is the health check's to find, which breaks the resource and sends this lease back
            hosts.evict(resource);
            return Progress.checkAgainIn(Duration.ofSeconds(2), "a working SSH connection to instance " + instanceId(resource) + " ("
                    + e.getMessage() + ")");
        }
    }

    @Override
    public void releaseLease(Ec2HostConfig config, ResourceContext resource, LeaseContext lease) {
        String dir = leaseDir(config, resource.resource().id(), lease.lease().id());
        CommandResult removed = HostAccess.run(commands(config, resource, HostAccess.HOST_WORKDIR), List.of("rm", "-rf", "--", dir));
        if (!removed.succeeded()) {
            throw new IllegalStateException("could not remove " + dir + " on instance " + instanceId(resource) + ": " + removed.stderrText().strip());
        }
    }

    @Override
    public Progress destroy(Ec2HostConfig config, ResourceContext resource) {
        // Closing the resource's SSH connection is housekeeping: it waits for any step still connecting
        // on it, and a destroy must never wait on an SSH server, so it is closed beside the step.
        Thread.ofVirtual().name("drydock-ec2-evict-" + resource.resource().id()).start(() -> hosts.evict(resource));
        return new Termination(config, resource, this).step();
    }

    @Override
    public <T extends ResourceInterface> Optional<T> interfaceFor(Ec2HostConfig config, ResourceContext resource, LeaseView lease,
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

    @Override
    public Optional<Reaper> reaper(Ec2HostConfig config, SecretResolver secrets) {
        return Optional.of(new Ec2Reaper(clients.of(config, secrets::resolve)));
    }

    @Override
    public Duration reapInterval(Ec2HostConfig config) {
        return config.reapInterval();
    }

    @Override
    public void close() {
        hosts.close();
        clients.close();
    }

    Ec2Client ec2(Ec2HostConfig config, ResourceContext resource) {
        return clients.of(config, resource::secret);
    }

    Fleet fleet(Ec2HostConfig config, ResourceView view) {
        return fleets.computeIfAbsent(view.blueprintId(), id -> new Fleet(new InstanceListing(), new CallBudget(config.callsPerSecondOrDefault())));
    }

    CallBudget budget(Ec2HostConfig config, ResourceContext resource) {
        return fleet(config, resource.resource()).budget();
    }

    /** The blueprint's listing, no older than {@code maxAge}; empty when the call budget allows no call now. */
    Optional<InstanceListing.Snapshot> listing(Ec2HostConfig config, ResourceContext resource, Duration maxAge) {
        ResourceView view = resource.resource();
        Fleet fleet = fleet(config, view);
        return fleet.listing().fresh(maxAge, ec2(config, resource), view.installationId(), view.blueprintId(), fleet.budget());
    }

    /**
     * When a step that waits for the next listing should check again: when that listing is due (not
     * an interval from now), and not before the call budget can pay for it.
     */
    Duration untilNextListing(Ec2HostConfig config, ResourceContext resource) {
        Fleet fleet = fleet(config, resource.resource());
        Duration due = fleet.listing().untilNext(config.listInterval());
        Duration affordable = fleet.budget().refillTime();
        return due.compareTo(affordable) >= 0 ? due : affordable;
    }

    /**
     * A listing taken after {@code changedAt} and no older than the list interval, for a step that
     * waits for a change it made to finish: the first listing after the change may show it under
     * way, and a step that kept reading that one would wait forever. Empty when the next listing is
     * not due yet ({@link #untilNextListing}) or the call budget is empty.
     */
    Optional<InstanceListing.Snapshot> listingSince(Ec2HostConfig config, ResourceContext resource, Instant changedAt) {
        ResourceView view = resource.resource();
        Fleet fleet = fleet(config, view);
        Instant recent = Instant.now().minus(config.listInterval());
        Instant notBefore = changedAt.isAfter(recent) ? changedAt : recent;
        return fleet.listing().since(notBefore, config.listInterval(), ec2(config, resource), view.installationId(), view.blueprintId(),
                fleet.budget());
    }

    /** What EC2 taught this process about the account and region of {@code config}. */
    BuildGate gate(Ec2HostConfig config) {
        return gates.computeIfAbsent(config.region() + "|" + config.endpoint() + "|" + config.accessKeyId(), k -> new BuildGate());
    }

    HostAccess hosts() {
        return hosts;
    }

    private CommandInterface commands(Ec2HostConfig config, ResourceContext resource, String dir) {
        return hosts.commands(connection(config, resource), dir);
    }

    private Supplier<SshConnection> connection(Ec2HostConfig config, ResourceContext resource) {
        Map<String, String> attributes = resource.resource().attributes();
        String address = attributes.get(ADDRESS);
        String hostKey = attributes.get(HOST_KEY);
        if (address == null || hostKey == null) {
            throw new IllegalStateException("instance " + instanceId(resource) + " of resource " + resource.resource().id() + " is not ready yet");
        }
        return hosts.connection(config, resource, address, hostKey);
    }

    private static String instanceId(ResourceContext resource) {
        return resource.resource().attributes().getOrDefault(INSTANCE_ID, "(none yet)");
    }

    static String resourceDir(Ec2HostConfig config, long resourceId) {
        return config.rootOrDefault().replaceAll("/+$", "") + "/resource-" + resourceId;
    }

    private static String leaseDir(Ec2HostConfig config, long resourceId, long leaseId) {
        return resourceDir(config, resourceId) + "/lease-" + leaseId;
    }

    static int number(String value) {
        try {
            return value == null ? 0 : Integer.parseInt(value);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
