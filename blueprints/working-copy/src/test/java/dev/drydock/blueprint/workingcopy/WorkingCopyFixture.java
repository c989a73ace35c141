package dev.drydock.blueprint.workingcopy;

import dev.drydock.api.LeaseStatus;
import dev.drydock.api.ResourceStatus;
import dev.drydock.blueprint.localhost.LocalHostBlueprint;
import dev.drydock.core.Drydock;
import dev.drydock.core.EngineCleanUp;
import dev.drydock.taskqueue.Taskmaster;
import dev.drydock.testing.Await;
import dev.drydock.testing.TestDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A Drydock with the local-host and working-copy blueprints on a test database, and a taskmaster:
 * hosts are directories under {@code hostRoot}, so a test can look at every clone and checkout.
 */
final class WorkingCopyFixture implements AutoCloseable {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Set<LeaseStatus> RELEASABLE = EnumSet.of(LeaseStatus.PENDING, LeaseStatus.ACQUIRED, LeaseStatus.ACTIVE);
    private static final int ALL = 10_000;
    final Drydock drydock;
    final Taskmaster taskmaster;
    final Path hostRoot;

    WorkingCopyFixture(TestDatabase db, Path hostRoot) {
        this.hostRoot = hostRoot;
        this.drydock = Drydock.builder(db.dataSource()).stepRetryCap(Duration.ofMillis(300))
                .register(new LocalHostBlueprint()).register(new WorkingCopyBlueprint()).build();
        this.taskmaster = drydock.taskmaster().threads(16).pollInterval(Duration.ofMillis(100)).build().start();
    }

    /** Local hosts of one lease each, at most {@code limit} of them. */
    void hosts(String name, int limit) {
        drydock.blueprints().create(name, LocalHostBlueprint.TYPE, "{\"root\": \"" + hostRoot + "\", \"capacity\": 1}", limit);
    }

    /** Checkout directories (named lease-ID) in any clone's cache directory under the host root. */
    List<Path> checkouts() {
        try (Stream<Path> paths = Files.walk(hostRoot, 4)) {
            return paths.filter(p -> p.getParent() != null && p.getParent().getFileName().toString().equals(WorkingCopyConfig.DEFAULT_CACHE_DIRECTORY)
                    && p.getFileName().toString().startsWith("lease-")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every directory and file left under the host root. */
    List<Path> leftUnderHostRoot() {
        try (Stream<Path> paths = Files.walk(hostRoot)) {
            return paths.filter(p -> !p.equals(hostRoot)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Ends every lease and resource, then deletes every blueprint, saying what was left if that
     * fails. Working copies go first, each clone releasing its own host lease, so no host lease is
     * released under a clone that still works in it.
     */
    void cleanUp() {
        try {
            drydock.leases(Optional.empty(), ALL).stream()
                    .filter(l -> l.resourceType().equals("working-copy") && RELEASABLE.contains(l.status()))
                    .forEach(l -> drydock.releaseLease(l.id(), "test clean-up"));
            Await.until("every working-copy lease destroyed", WAIT, () -> drydock.leases(Optional.empty(), ALL).stream()
                    .filter(l -> l.resourceType().equals("working-copy")).allMatch(l -> l.status() == LeaseStatus.DESTROYED));
            drydock.resources().stream().filter(r -> r.resourceType().equals("working-copy"))
                    .filter(r -> r.status() == ResourceStatus.ACTIVE || r.status() == ResourceStatus.PENDING)
                    .forEach(r -> drydock.releaseResource(r.id()));
            Await.until("every clone destroyed", WAIT, () -> drydock.resources().stream()
                    .filter(r -> r.resourceType().equals("working-copy")).allMatch(r -> r.status() == ResourceStatus.DESTROYED));
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\n" + EngineCleanUp.resourcesLeft(drydock), e);
        }
        EngineCleanUp.destroyEverything(drydock);
        drydock.blueprints().list().forEach(b -> drydock.blueprints().delete(b.name()));
    }

    @Override
    public void close() {
        try {
            taskmaster.close();
        } finally {
            drydock.close();
        }
    }
}
