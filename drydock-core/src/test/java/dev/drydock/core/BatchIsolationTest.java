package dev.drydock.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.api.Lease;
import dev.drydock.api.LeaseRequest;
import dev.drydock.api.spi.LeaseContext;
import dev.drydock.api.spi.Progress;
import dev.drydock.api.spi.ResourceContext;
import dev.drydock.taskqueue.Taskmaster;
import dev.drydock.testing.LeakCheck;
import dev.drydock.testing.PostgresExtension;
import dev.drydock.testing.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Lease updates run in batches; a blueprint that throws while preparing one lease of a batch must
 * cost that lease a retry and nothing else: the batch's other leases become active on their
 * first attempt.
 */
@ExtendWith({PostgresExtension.class, LeakCheck.class})
class BatchIsolationTest {
    @Test
    void aBlueprintThrowingForOneLeaseOfABatchRetriesThatLeaseOnly(TestDatabase db) throws Exception {
        try (Drydock drydock = Drydock.builder(db.dataSource()).register(new ThrowsOnce()).build()) {
            drydock.blueprints().create("throws-once", ThrowsOnce.TYPE, "{\"capacity\": 16}", 1);
            // a first lease builds the resource, which is kept when idle
            try (Taskmaster first = drydock.taskmaster().pollInterval(Duration.ofMillis(200)).build().start()) {
                Lease builds = drydock.allocator().acquire(LeaseRequest.builder(ThrowsOnce.RESOURCE_TYPE).build());
                builds.await(Duration.ofSeconds(30));
                builds.release();
                dev.drydock.testing.Await.until("the first lease cleaned up", Duration.ofSeconds(30),
                        () -> db.queryLong("SELECT count(*) FROM dd_lease WHERE status <> 'DESTROYED'") == 0);
            }
            List<Lease> leases = new ArrayList<>();
            // requested while no taskmaster runs, so that the next one's first claim brings them all as one batch
            for (int i = 0; i < 4; i++) {
                leases.add(drydock.allocator().acquire(LeaseRequest.builder(ThrowsOnce.RESOURCE_TYPE).build()));
            }
            Lease unlucky = drydock.allocator().acquire(LeaseRequest.builder(ThrowsOnce.RESOURCE_TYPE).attribute("throw", "once").build());
            leases.add(unlucky);
            try (Taskmaster taskmaster = drydock.taskmaster().threads(16).pollInterval(Duration.ofMillis(200)).build().start()) {
                for (Lease lease : leases) {
                    lease.await(Duration.ofSeconds(30));
                }
            }

            assertThat(db.queryLong("SELECT count(*) FROM dd_lease WHERE status = 'ACTIVE'")).isEqualTo(5);
            assertThat(db.queryLong("SELECT count(*) FROM dd_resource")).as("all on the one resource, through the batch's take").isEqualTo(1);
            assertThat(ThrowsOnce.thrownFor).as("the blueprint threw for the unlucky lease only").containsExactly(unlucky.id());
            // a failed step is tried again by the engine, which logs it on the lease
            assertThat(db.queryLong("SELECT count(*) FROM dd_log WHERE message LIKE '%thrown once%'"))
                    .as("its update alone was retried, not the four others of its batch").isEqualTo(1);
            assertThat(db.queryLong("SELECT count(*) FROM dd_log WHERE message LIKE '%thrown once%' AND lease_id = " + unlucky.id())).isEqualTo(1);
            assertThat(db.queryLong("SELECT count(*) FROM dd_log WHERE lease_id = " + unlucky.id() + " AND message LIKE '%ACQUIRED -> ACTIVE%'"))
                    .isEqualTo(1);
            try (Taskmaster cleanUp = drydock.taskmaster().pollInterval(Duration.ofMillis(200)).build().start()) {
                EngineCleanUp.destroyEverything(drydock);
            }
        }
    }

    /** Throws the first time it prepares a lease that asks for it ({@code throw=once}). */
    static final class ThrowsOnce extends CapacityBlueprint {
        static final String TYPE = "throws-once";
        static final String RESOURCE_TYPE = "throws-once-box";
        private static final Set<Long> thrownFor = ConcurrentHashMap.newKeySet();

        ThrowsOnce() {
            super(TYPE, RESOURCE_TYPE);
        }

        /** {@code throw} is an instruction to this blueprint, not a fact to match. */
        @Override
        public dev.drydock.api.spi.Decision meetsAttributes(Config config, java.util.Map<String, String> requested) {
            return dev.drydock.api.spi.Decision.yes();
        }

        @Override
        public Progress acquireLease(Config config, ResourceContext resource, LeaseContext lease) {
            if ("once".equals(lease.lease().attributes().get("throw")) && thrownFor.add(lease.lease().id())) {
                throw new IllegalStateException("thrown once for lease " + lease.lease().id());
            }
            return Progress.done();
        }
    }
}
