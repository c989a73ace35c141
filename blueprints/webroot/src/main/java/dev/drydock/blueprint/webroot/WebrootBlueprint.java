package dev.drydock.blueprint.webroot;

import dev.drydock.api.CommandInterface;
import dev.drydock.api.FilesystemInterface;
import dev.drydock.api.HttpdInterface;
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
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Web roots (DESIGN §11): a resource is an HTTP server on a host it leases itself (the sub-lease
 * {@code host}); each lease gets a port of the configured range that no other lease of the resource
 * holds, and its directory served there, answering HTTP 200 before the lease is ACTIVE. The
 * directory is a working copy's checkout when the lease names {@code repository} and {@code ref}
 * (a working-copy sub-lease placed on the very host the server runs on), optionally only the
 * directory {@code path} within it; else an empty directory of the lease's own, which its holder
 * fills through the lease's filesystem interface. Releasing the lease stops serving it, frees its
 * port and gives back its checkout; destroying the resource stops every server it started.
 *
 * <p>{@link HttpdInterface} gives the URI and a reload; the command and filesystem interfaces of a
 * lease on a checkout are the checkout's.
 */
public final class WebrootBlueprint implements BlueprintImplementation<WebrootConfig> {
    public static final String TYPE = "webroot";
    /** The lease attribute recording the URI the lease's directory is served at. */
    public static final String URI = "uri";
    static final String PORT = "port";
    static final String ROOT = "root";
    private static final Duration SUB_LEASE_PATIENCE = Duration.ofMinutes(5);
    private static final Duration READY_RECHECK = Duration.ofMillis(100);
    private final ReadinessProbe probe = new ReadinessProbe();
    private final HttpServers.Cache servers = new HttpServers.Cache();

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String resourceType() {
        return "webroot";
    }

    @Override
    public Class<WebrootConfig> configType() {
        return WebrootConfig.class;
    }

    @Override
    public List<ConfigField> configFields() {
        return WebrootFields.ALL;
    }

    @Override
    public List<ConfigProblem> validate(WebrootConfig config) {
        return WebrootChecks.problems(config);
    }

    @Override
    public int capacity(WebrootConfig config) {
        return config.capacityOrDefault();
    }

    /** {@code repository}, {@code ref} and {@code path} say what to serve; any other attribute must be the blueprint's. */
    @Override
    public Decision meetsAttributes(WebrootConfig config, Map<String, String> requested) {
        Source.Parsed parsed = Source.parse(requested);
        if (parsed.problem().isPresent()) {
            return Decision.no(parsed.problem().get());
        }
        return AttributeMatch.of(parsed.rest(), attributes(config));
    }

    @Override
    public Progress allocate(WebrootConfig config, ResourceContext resource) {
        return activate(config, resource);
    }

    @Override
    public Progress activate(WebrootConfig config, ResourceContext resource) {
        SubLease host = resource.lease(OnHost.HOST, HostRequests.forServer(config));
        if (!host.isActive()) {
            return Progress.checkAgainIn(SUB_LEASE_PATIENCE, "its host, lease " + host.id() + ": " + host.statusReason());
        }
        Optional<OnHost> found = OnHost.discover(config, host, servers, resource.resource().id());
        if (found.isEmpty()) {
            return Progress.failed("host lease " + host.id() + " records no directory, which a web root keeps its servers' files in:"
                    + " lease hosts of a blueprint that gives each lease a directory (local-host, remote-host, ec2-host)");
        }
        OnHost onHost = found.get();
        if (!Site.isIpLiteral(onHost.address())) {
            return Progress.failed("the host's address '" + onHost.address() + "' is not an IP address, which a server listens on:"
                    + " set address in the webroot configuration");
        }
        resource.setAttribute("host.lease", Long.toString(host.id()));
        resource.setAttribute(OnHost.HOST_RESOURCE, Long.toString(onHost.hostResourceId()));
        resource.setAttribute(OnHost.SERVER, onHost.server().kind().label());
        resource.setAttribute(OnHost.ADDRESS, onHost.address());
        resource.setAttribute(OnHost.DIRECTORY, onHost.resourceDirectory());
        resource.setAttribute("ports", config.portRange().toString());
        resource.log("serves with " + onHost.server().kind().label() + " on " + onHost.address() + ", ports " + config.portRange()
                + ", from host lease " + host.id());
        return Progress.done();
    }

    @Override
    public Progress acquireLease(WebrootConfig config, ResourceContext resource, LeaseContext lease) {
        Optional<OnHost> onHost = OnHost.active(resource, servers);
        if (onHost.isEmpty()) {
            return Progress.failed("web root " + resource.resource().id() + " has lost its host lease; it cannot serve");
        }
        Source source = Source.parse(lease.lease().attributes()).source().orElseThrow(); // meetsAttributes let it through
        Optional<String> port = lease.takeSlot(PORT, config.portRange().slots());
        if (port.isEmpty()) {
            return Progress.checkAgainIn(SUB_LEASE_PATIENCE, "a free port: all " + config.portRange().size() + " of ports "
                    + config.portRange() + " serve other leases of web root " + resource.resource().id());
        }
        return switch (Roots.prepare(config, resource, lease, onHost.get(), source)) {
            case Roots.Prepared.Waiting waiting -> waiting.progress();
            case Roots.Prepared.Ready ready -> serve(config, lease, onHost.get(), site(onHost.get(), lease.lease().id(), port.get(), ready.root()));
        };
    }

    private Progress serve(WebrootConfig config, LeaseContext lease, OnHost onHost, Site site) {
        lease.setAttribute(PORT, Integer.toString(site.port()));
        lease.setAttribute(ROOT, site.root());
        onHost.server().serve(onHost.access(), site).forEach(lease::setAttribute);
        lease.setAttribute(URI, site.uri().toString());
        Optional<String> problem = probe.problem(site.uri());
        if (problem.isEmpty()) {
            lease.log("serves " + site.root() + " at " + site.uri() + " with " + onHost.server().kind().label());
            return Progress.done();
        }
        Readiness readiness = Readiness.of(lease, config.readyTimeout());
        if (readiness.overdue()) {
            return Progress.failed(site.uri() + " did not answer 200 within " + config.readyTimeout().toSeconds() + " s: it "
                    + problem.get() + " (" + onHost.server().kind().label() + " serving " + site.root() + ")"
                    + Readiness.hint(onHost.server().kind(), problem.get()));
        }
        return Progress.checkAgainIn(READY_RECHECK, site.uri() + " to answer 200; it " + problem.get());
    }

    @Override
    public void releaseLease(WebrootConfig config, ResourceContext resource, LeaseContext lease) {
        long leaseId = lease.lease().id();
        Optional<OnHost> onHost = OnHost.active(resource, servers);
        Map<String, String> recorded = lease.lease().leaseAttributes();
        if (onHost.isPresent()) {
            if (recorded.containsKey(PORT) && recorded.containsKey(ROOT)) {
                Site site = site(onHost.get(), leaseId, recorded.get(PORT), recorded.get(ROOT));
                onHost.get().server().stop(onHost.get().access(), site);
                lease.log("stopped serving " + site.uri());
            }
            onHost.get().deleteLeaseFiles(leaseId);
        }
        resource.releaseSubLease(Roots.checkoutName(leaseId));
    }

    @Override
    public Progress destroy(WebrootConfig config, ResourceContext resource) {
        Optional<OnHost> onHost = OnHost.active(resource, servers);
        if (onHost.isPresent()) {
            int stopped = onHost.get().server().stopAll(onHost.get().access(), onHost.get().resourceDirectory());
            onHost.get().deleteResourceFiles();
            resource.log("stopped " + stopped + " server process(es) and removed " + onHost.get().resourceDirectory());
        }
        servers.forget(resource.resource().id());
        return Progress.done(); // the host lease, and any checkout left, are released with the resource
    }

    @Override
    public <T extends ResourceInterface> Optional<T> interfaceFor(WebrootConfig config, ResourceContext resource, LeaseView lease,
                                                                 Class<T> type) {
        String port = lease.leaseAttributes().get(PORT);
        String root = lease.leaseAttributes().get(ROOT);
        Optional<OnHost> onHost = OnHost.active(resource, servers);
        if (port == null || root == null || onHost.isEmpty()) {
            return Optional.empty();
        }
        if (type == HttpdInterface.class) {
            return Optional.of(type.cast(new LeaseHttpd(onHost.get(), site(onHost.get(), lease.id(), port, root))));
        }
        if (type == CommandInterface.class || type == FilesystemInterface.class) {
            Optional<SubLease> checkout = resource.subLease(Roots.checkoutName(lease.id())).filter(SubLease::isActive);
            if (checkout.isPresent()) {
                return Optional.of(checkout.get().getInterface(type));
            }
            return type == FilesystemInterface.class ? Optional.of(type.cast(onHost.get().filesIn(root))) : Optional.empty();
        }
        return Optional.empty();
    }

    private static Site site(OnHost onHost, long leaseId, String port, String root) {
        return new Site(leaseId, root, onHost.address(), Integer.parseInt(port), onHost.stateDirectory(leaseId));
    }

    @Override
    public boolean shouldKeep(WebrootConfig config, ResourceView resource, Duration idleFor) {
        return idleFor.compareTo(config.keepIdle()) < 0;
    }

    @Override
    public Duration buildTimeout(WebrootConfig config) {
        return SUB_LEASE_PATIENCE.multipliedBy(2);
    }

    @Override
    public void close() {
        probe.close();
    }

    /** What a holder gets: the lease's URI, and a reload of the server that serves it. */
    private record LeaseHttpd(OnHost onHost, Site site) implements HttpdInterface {
        @Override
        public java.net.URI uri() {
            return site.uri();
        }

        @Override
        public void reload() {
            onHost.server().reload(onHost.access(), site);
        }
    }
}
