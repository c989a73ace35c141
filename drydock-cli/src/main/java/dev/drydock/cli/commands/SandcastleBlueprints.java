package dev.drydock.cli.commands;

import dev.drydock.api.Lease;
import dev.drydock.cli.DemoHttp;
import dev.drydock.cli.Output;
import dev.drydock.core.Drydock;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The sandcastle demo's three blueprints, named after the run: a local host, a working copy of the
 * demo's repository on it, and a web root on it. None keeps an idle resource, so releasing the
 * demo's leases destroys everything it built.
 */
final class SandcastleBlueprints {
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
        ofAll().run(leases);
    }

    /** {@link #cleanUp} after a failure, which it must not hide: what goes wrong here is only logged. */
    void cleanUpQuietly(List<Lease> leases) {
        ofAll().runQuietly(leases);
    }

    private DemoCleanUp ofAll() {
        return new DemoCleanUp(drydock, List.of(webroot(), site(), hosts()));
    }
}
