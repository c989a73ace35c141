package dev.drydock.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.api.Lease;
import dev.drydock.api.LeaseRequest;
import dev.drydock.api.spi.LeaseContext;
import dev.drydock.api.spi.Progress;
import dev.drydock.api.spi.ResourceContext;
import dev.drydock.testing.LeakCheck;
import dev.drydock.testing.PostgresExtension;
import dev.drydock.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Blueprints that acquire leases ahead ({@code acquiresLeasesAhead}): the engine prepares the lease
 * before taking its share of the resource, then takes it and makes the lease ACTIVE in one
 * statement; when the share is gone by then, it undoes the preparation and goes the usual way.
 */
@ExtendWith({PostgresExtension.class, LeakCheck.class})
class AcquireAheadTest {

    @Test
    void aLeaseAcquiredAheadBecomesActiveAndItsLogTellsEveryStep(TestDatabase db) {
        AheadBlueprint blueprint = new AheadBlueprint(db);
        try (Drydock drydock = Drydock.builder(db.dataSource()).register(blueprint).build();
             var taskmaster = drydock.taskmaster().threads(4).pollInterval(Duration.ofMillis(200)).build().start()) {
            drydock.blueprints().create("ahead", AheadBlueprint.TYPE, "{\"capacity\": 4}", 1);

            Lease lease = drydock.allocator().acquire(LeaseRequest.builder(AheadBlueprint.RESOURCE_TYPE).blueprint("ahead").build());
            long resource = lease.await(Duration.ofSeconds(30)).info().resourceId().orElseThrow();

            assertThat(messages(drydock, lease.id())).containsSubsequence(
                    "lease " + lease.id() + " PENDING -> ACQUIRED: acquired on resource " + resource + " of blueprint ahead (binpack: r" + resource
                            + " 0.49)", // one of 4 places taken: 3/4 left free scores (10 - 10^0.75) / 9
                    "prepared lease " + lease.id(),
                    "lease " + lease.id() + " ACQUIRED -> ACTIVE: active on resource " + resource);
            assertThat(db.queryLong("SELECT count(*) FROM dd_lease WHERE id = " + lease.id()
                    + " AND lease_attributes->>'prepared' = 'yes' AND activated_at IS NOT NULL")).isEqualTo(1);
            assertThat(db.queryLong("SELECT active_leases FROM dd_resource WHERE id = " + resource)).isEqualTo(1);
            assertThat(blueprint.calls).filteredOn(c -> c.contains(" " + lease.id() + " on ")) // the class's leases share the queue
                    .containsExactly("acquire " + lease.id() + " on " + resource);
            lease.release();
            EngineCleanUp.destroyEverything(drydock);
        }
    }

    @Test
    void whenTheResourceFillsUpMeanwhileThePreparationIsUndoneAndTheLeaseGoesElsewhere(TestDatabase db) throws SQLException {
        AheadBlueprint blueprint = new AheadBlueprint(db);
        try (Drydock drydock = Drydock.builder(db.dataSource()).register(blueprint).build();
             var taskmaster = drydock.taskmaster().threads(4).pollInterval(Duration.ofMillis(200)).build().start()) {
            drydock.blueprints().create("ahead-filling", AheadBlueprint.TYPE, "{\"capacity\": 2}", 2);
            LeaseRequest request = LeaseRequest.builder(AheadBlueprint.RESOURCE_TYPE).blueprint("ahead-filling").build();
            Lease first = drydock.allocator().acquire(request);
            long full = first.await(Duration.ofSeconds(30)).info().resourceId().orElseThrow();

            // As if another taskmaster took the last share between this one's look at the resource and its take.
            blueprint.fillOnNextAcquire.set(true);
            Lease second = drydock.allocator().acquire(request);
            long other = second.await(Duration.ofSeconds(30)).info().resourceId().orElseThrow();

            assertThat(other).isNotEqualTo(full);
            assertThat(blueprint.calls).containsSubsequence(
                    "acquire " + second.id() + " on " + full, "release " + second.id() + " on " + full, "acquire " + second.id() + " on " + other);
            assertThat(blueprint.calls).filteredOn(c -> c.startsWith("release " + second.id() + " ")).hasSize(1);
            assertThat(db.queryLong("SELECT count(*) FROM dd_lease WHERE resource_id = " + full)).as("only the first lease on it").isEqualTo(1);
            assertThat(db.queryLong("SELECT active_leases FROM dd_resource WHERE id = " + other)).isEqualTo(1);
            assertThat(messages(drydock, second.id())).noneMatch(m -> m.contains("resource " + full + " "))
                    .contains("lease " + second.id() + " ACQUIRED -> ACTIVE: active on resource " + other);
            try (Connection c = db.connect(); Statement s = c.createStatement()) {
                s.executeUpdate("UPDATE dd_resource SET active_leases = 1 WHERE id = " + full); // the share nobody took
            }
            first.release();
            second.release();
            EngineCleanUp.destroyEverything(drydock);
        }
    }

    private static List<String> messages(Drydock drydock, long leaseId) {
        return drydock.logs(Optional.of(leaseId), Optional.empty(), Optional.empty(), 0, 100).stream().map(LogEntry::message).toList();
    }

    /** Acquires leases ahead, records its lease calls, and on request fills the resource while it acquires. */
    static final class AheadBlueprint extends CapacityBlueprint {
        static final String TYPE = "ahead";
        static final String RESOURCE_TYPE = "ahead-box";
        final ConcurrentLinkedQueue<String> calls = new ConcurrentLinkedQueue<>();
        final AtomicBoolean fillOnNextAcquire = new AtomicBoolean();
        private final TestDatabase db;

        AheadBlueprint(TestDatabase db) {
            super(TYPE, RESOURCE_TYPE);
            this.db = db;
        }

        @Override
        public boolean acquiresLeasesAhead(Config config) {
            return true;
        }

        @Override
        public Progress acquireLease(Config config, ResourceContext resource, LeaseContext lease) {
            long resourceId = resource.resource().id();
            calls.add("acquire " + lease.lease().id() + " on " + resourceId);
            if (fillOnNextAcquire.compareAndSet(true, false)) {
                try (Connection c = db.connect(); Statement s = c.createStatement()) {
                    s.executeUpdate("UPDATE dd_resource SET active_leases = capacity WHERE id = " + resourceId);
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            }
            lease.setAttribute("prepared", "yes");
            lease.log("prepared lease " + lease.lease().id());
            return Progress.done();
        }

        @Override
        public void releaseLease(Config config, ResourceContext resource, LeaseContext lease) {
            calls.add("release " + lease.lease().id() + " on " + resource.resource().id());
        }
    }
}
