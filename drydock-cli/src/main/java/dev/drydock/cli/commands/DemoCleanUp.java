package dev.drydock.cli.commands;

import dev.drydock.api.DrydockException;
import dev.drydock.api.Lease;
import dev.drydock.api.ResourceInfo;
import dev.drydock.api.ResourceStatus;
import dev.drydock.core.Drydock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.LoggerFactory;

/**
 * Ends what a demo made, so a run leaves nothing behind on a configured database either: its
 * leases released, every resource of its blueprints destroyed (the blueprints keep no idle
 * resource, so releasing is enough), then the blueprints deleted.
 */
final class DemoCleanUp {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private final Drydock drydock;
    private final List<String> blueprints;

    DemoCleanUp(Drydock drydock, List<String> blueprints) {
        this.drydock = drydock;
        this.blueprints = List.copyOf(blueprints);
    }

    /** Releases {@code leases}, waits until every resource of the blueprints is destroyed, and deletes the blueprints. */
    void run(List<Lease> leases) {
        leases.forEach(Lease::release);
        long until = System.nanoTime() + WAIT.toNanos();
        for (Lease lease : leases) {
            lease.awaitEnded(WAIT);
        }
        while (!left().isEmpty()) {
            if (System.nanoTime() > until) {
                throw new DrydockException("clean-up did not finish within " + WAIT.toSeconds() + " s: "
                        + left().stream().map(r -> r.resourceType() + " resource " + r.id() + " is " + r.status() + " (" + r.statusReason() + ")")
                        .toList() + "; see drydock-control resource list and logs");
            }
            pause();
        }
        blueprints.forEach(name -> drydock.blueprints().delete(name));
    }

    /** {@link #run} after a failure, which it must not hide: what goes wrong here is only logged. */
    void runQuietly(List<Lease> leases) {
        try {
            run(leases);
        } catch (RuntimeException e) {
            LoggerFactory.getLogger(DemoCleanUp.class).warn("clean-up after the failure did not finish: {}", e.getMessage());
        }
    }

    /** Deletes a demo's directory; what cannot be deleted is left (it is a temporary directory) and logged. */
    static void deleteQuietly(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException | UncheckedIOException e) {
            LoggerFactory.getLogger(DemoCleanUp.class).warn("could not delete the demo's directory {}: {}", dir, e.getMessage());
        }
    }

    private List<ResourceInfo> left() {
        return drydock.resources().stream().filter(r -> blueprints.contains(r.blueprintName()) && r.status() != ResourceStatus.DESTROYED)
                .toList();
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
