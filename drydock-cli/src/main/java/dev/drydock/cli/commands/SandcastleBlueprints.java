package dev.drydock.cli.commands;

import dev.drydock.api.DrydockException;
import dev.drydock.api.Lease;
import dev.drydock.api.ResourceInfo;
import dev.drydock.api.ResourceStatus;
import dev.drydock.cli.DemoHttp;
import dev.drydock.cli.Output;
import dev.drydock.core.Drydock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * The sandcastle demo's three blueprints, named after the run: a local host, a working copy of the
 * demo's repository on it, and a web root on it. None keeps an idle resource, so releasing the
 * demo's leases destroys everything it built.
 */
final class SandcastleBlueprints {
    private static final Duration CLEAN_UP_WAIT = Duration.ofSeconds(60);
    private final Drydock drydock;
    private final String prefix;
    private final String ports;

    private SandcastleBlueprints(Drydock drydock, String prefix, String ports) {
        this.drydock = drydock;
        this.prefix = prefix;
        this.ports = ports;
    }

    static SandcastleBlueprints create(Drydock drydock, Path hostRoot, String repository, String ports) {
        SandcastleBlueprints b = new SandcastleBlueprints(drydock, "sandcastle-" + Long.toString(System.currentTimeMillis(), 36), ports);
        drydock.blueprints().create(b.hosts(), "local-host", Output.json(Map.of("root", hostRoot.toString(), "capacity", 8,
                "keepIdle", false)), 1);
        drydock.blueprints().create(b.site(), "working-copy", Output.json(Map.of("repository", repository, "hostBlueprints",
                List.of(b.hosts()), "keepIdleMinutes", 0)), 1);
        drydock.blueprints().create(b.webroot(), "webroot", Output.json(Map.of("hostBlueprints", List.of(b.hosts()),
                "workingCopyBlueprints", List.of(b.site()), "ports", ports, "address", DemoHttp.ADDRESS, "keepIdleMinutes", 0)), 1);
        return b;
    }

    String describe() {
        return prefix + "-{hosts,site,web}: a local host, a working copy of the repository, a web root on ports " + ports
                + DemoHttp.unlessDefault(ports);
    }

    String webroot() {
        return prefix + "-web";
    }

    private String hosts() {
        return prefix + "-hosts";
    }

    private String site() {
        return prefix + "-site";
    }

    /** Releases the leases, waits until every resource of these blueprints is destroyed, and deletes the blueprints. */
    void cleanUp(List<Lease> leases) {
        leases.forEach(Lease::release);
        long until = System.nanoTime() + CLEAN_UP_WAIT.toNanos();
        for (Lease lease : leases) {
            lease.awaitEnded(CLEAN_UP_WAIT);
        }
        while (!left().isEmpty()) {
            if (System.nanoTime() > until) {
                throw new DrydockException("clean-up did not finish within " + CLEAN_UP_WAIT.toSeconds() + " s: "
                        + left().stream().map(r -> r.resourceType() + " resource " + r.id() + " is " + r.status() + " (" + r.statusReason() + ")")
                        .toList() + "; see drydock-control resource list and logs");
            }
            pause();
        }
        for (String name : List.of(webroot(), site(), hosts())) {
            drydock.blueprints().delete(name);
        }
    }

    /** {@link #cleanUp} after a failure, which it must not hide: what goes wrong here is only logged. */
    void cleanUpQuietly(List<Lease> leases) {
        try {
            cleanUp(leases);
        } catch (RuntimeException e) {
            LoggerFactory.getLogger(SandcastleBlueprints.class).warn("clean-up after the failure did not finish: {}", e.getMessage());
        }
    }

    private List<ResourceInfo> left() {
        List<String> ours = List.of(hosts(), site(), webroot());
        return drydock.resources().stream().filter(r -> ours.contains(r.blueprintName()) && r.status() != ResourceStatus.DESTROYED).toList();
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DrydockException("interrupted while waiting for the clean-up");
        }
    }
}
