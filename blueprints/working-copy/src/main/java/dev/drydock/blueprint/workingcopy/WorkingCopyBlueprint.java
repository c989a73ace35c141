package dev.drydock.blueprint.workingcopy;

import dev.drydock.api.CommandInterface;
import dev.drydock.api.FilesystemInterface;
import dev.drydock.api.LeaseRequest;
import dev.drydock.api.ResourceInterface;
import dev.drydock.api.spi.AttributeMatch;
import dev.drydock.api.spi.BlueprintImplementation;
import dev.drydock.api.spi.ConfigField;
import dev.drydock.api.spi.ConfigProblem;
import dev.drydock.api.spi.Decision;
import dev.drydock.api.spi.LeaseContext;
import dev.drydock.api.spi.LeaseView;
import dev.drydock.api.spi.Progress;
import dev.drydock.api.spi.ResourceContext;
import dev.drydock.api.spi.ResourceView;
import dev.drydock.api.spi.SubLease;
import dev.drydock.api.spi.Subdirectory;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Working copies of one repository (DESIGN §11). A resource is one bare clone of the configured
 * repository on a host it leases itself (the sub-lease {@code host}, owned by the resource and
 * released when it is destroyed), made once and fetched into afterwards, never cloned again. Each
 * lease asks for a ref (attribute {@code ref}: a branch, whose latest commit in the repository it
 * gets, a tag, or a commit) and gets a checkout of its own at exactly that commit, a {@code 0700}
 * directory no other lease's files are in, recorded on the lease as attributes {@code commit} and
 * {@code checkout}; releasing the lease removes the checkout. Its command and filesystem interfaces
 * are the host lease's, rooted at the checkout. A ref the repository does not have breaks the lease,
 * naming the ref and the repository; a repository that cannot be cloned fails the build, saying why.
 *
 * <p>A lease may also require {@code repository=URL}, to choose among working-copy blueprints of
 * several repositories.
 */
public final class WorkingCopyBlueprint implements BlueprintImplementation<WorkingCopyConfig> {
    public static final String TYPE = "working-copy";
    /** The resource attribute (and lease requirement) naming the repository. */
    public static final String REPOSITORY = "repository";
    /** A build waits this long for its host unless the host's becoming active wakes it sooner. */
    private static final Duration HOST_PATIENCE = Duration.ofMinutes(5);

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String resourceType() {
        return "working-copy";
    }

    @Override
    public Class<WorkingCopyConfig> configType() {
        return WorkingCopyConfig.class;
    }

    @Override
    public List<ConfigField> configFields() {
        return WorkingCopyFields.ALL;
    }

    @Override
    public List<ConfigProblem> validate(WorkingCopyConfig config) {
        return ConfigChecks.problems(config);
    }

    @Override
    public int capacity(WorkingCopyConfig config) {
        return config.capacityOrDefault();
    }

    @Override
    public Map<String, String> attributes(WorkingCopyConfig config) {
        return Map.of(REPOSITORY, config.repository());
    }

    /** {@code ref} is what to check out, not a fact of the clone: it must be well-formed; the rest must match. */
    @Override
    public Decision meetsAttributes(WorkingCopyConfig config, Map<String, String> requested) {
        Map<String, String> rest = new HashMap<>(requested);
        Optional<String> problem = RefName.problem(rest.remove(RefName.ATTRIBUTE)).or(() -> HostPin.problem(rest.remove(HostPin.ATTRIBUTE)));
        if (problem.isPresent()) {
            return Decision.no(problem.get());
        }
        return AttributeMatch.of(rest, attributes(config));
    }

    /** A lease that names its host ({@code host.resource}) takes only a clone on that host. */
    @Override
    public Decision canAcquire(WorkingCopyConfig config, ResourceView resource, LeaseView lease) {
        if (HostPin.allows(lease.attributes(), resource.attributes())) {
            return Decision.yes();
        }
        return Decision.no("its clone is on host resource " + resource.attributes().get(HostPin.ATTRIBUTE) + ", not "
                + lease.attributes().get(HostPin.ATTRIBUTE));
    }

    @Override
    public Progress allocate(WorkingCopyConfig config, ResourceContext resource) {
        resource.setAttribute(REPOSITORY, config.repository());
        return activate(config, resource);
    }

    @Override
    public Progress activate(WorkingCopyConfig config, ResourceContext resource) {
        SubLease host = resource.lease(OnHost.HOST, hostRequest(config, resource.cause().flatMap(cause -> HostPin.of(cause.attributes()))));
        if (!host.isActive()) {
            return Progress.checkAgainIn(HOST_PATIENCE, "its host, lease " + host.id() + ": " + host.statusReason());
        }
        resource.setAttribute("host.lease", Long.toString(host.id()));
        host.resourceId().ifPresent(id -> resource.setAttribute(HostPin.ATTRIBUTE, Long.toString(id)));
        OnHost onHost = OnHost.of(config, resource, host);
        resource.setAttribute("clone", onHost.layout().path(CloneLayout.CLONE));
        return CloneStep.ensure(config, resource, onHost);
    }

    @Override
    public Progress acquireLease(WorkingCopyConfig config, ResourceContext resource, LeaseContext lease) {
        Optional<SubLease> host = resource.subLease(OnHost.HOST).filter(SubLease::isActive);
        if (host.isEmpty()) {
            return Progress.failed("resource " + resource.resource().id() + " has lost its host lease; its clone cannot be reached");
        }
        return Checkouts.create(config, OnHost.of(config, resource, host.get()), lease);
    }

    @Override
    public void releaseLease(WorkingCopyConfig config, ResourceContext resource, LeaseContext lease) {
        Optional<SubLease> host = resource.subLease(OnHost.HOST).filter(SubLease::isActive);
        if (host.isPresent()) { // without its host, the resource breaks and its clone goes with the host lease
            Checkouts.remove(OnHost.of(config, resource, host.get()), lease.lease().id(), true);
        }
    }

    @Override
    public Progress destroy(WorkingCopyConfig config, ResourceContext resource) {
        Optional<SubLease> host = resource.subLease(OnHost.HOST).filter(SubLease::isActive);
        if (host.isPresent()) {
            OnHost onHost = OnHost.of(config, resource, host.get());
            onHost.files().delete(onHost.layout().cache());
            resource.log("removed the clone and its checkouts in " + onHost.layout().cache() + " on host lease " + onHost.hostLeaseId());
        }
        return Progress.done(); // the host lease is released with the resource
    }

    @Override
    public <T extends ResourceInterface> Optional<T> interfaceFor(WorkingCopyConfig config, ResourceContext resource, LeaseView lease,
                                                                 Class<T> type) {
        String checkout = lease.leaseAttributes().get(Checkouts.CHECKOUT);
        Optional<SubLease> host = resource.subLease(OnHost.HOST).filter(SubLease::isActive);
        if (checkout == null || host.isEmpty()) {
            return Optional.empty();
        }
        if (type == CommandInterface.class) {
            return Optional.of(type.cast(Subdirectory.commands(host.get().getInterface(CommandInterface.class), checkout)));
        }
        if (type == FilesystemInterface.class) {
            return Optional.of(type.cast(Subdirectory.files(host.get().getInterface(FilesystemInterface.class), checkout)));
        }
        return Optional.empty();
    }

    @Override
    public boolean shouldKeep(WorkingCopyConfig config, ResourceView resource, Duration idleFor) {
        return idleFor.compareTo(config.keepIdle()) < 0;
    }

    @Override
    public Duration buildTimeout(WorkingCopyConfig config) {
        return config.gitTimeout().plus(HOST_PATIENCE.multipliedBy(2));
    }

    /** The host to clone on: one the configuration allows, or exactly the one the lease that caused the build names. */
    private static LeaseRequest hostRequest(WorkingCopyConfig config, Optional<Long> pinnedHost) {
        LeaseRequest.Builder request = LeaseRequest.builder("host");
        pinnedHost.ifPresent(request::onResource);
        config.hostAttributesOrNone().forEach(request::attribute);
        config.hostBlueprintsOrAny().forEach(request::blueprint);
        return request.build();
    }
}
