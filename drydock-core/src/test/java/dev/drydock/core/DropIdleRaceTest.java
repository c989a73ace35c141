package dev.drydock.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.api.Lease;
import dev.drydock.api.LeaseRequest;
import dev.drydock.taskqueue.Taskmaster;
import dev.drydock.testing.LeakCheck;
import dev.drydock.testing.PostgresExtension;
import dev.drydock.testing.ScriptedBlueprint;
import dev.drydock.testing.ScriptedBlueprint.Step;
import dev.drydock.testing.ScriptedOutcome;
import dev.drydock.testing.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A blueprint that keeps nothing idle has a resource released once its last lease's slot comes
 * back; a lease that took the slot in between must not have its resource released (and destroyed)
 * under it. Many clients race acquire and release; afterwards, in the log, no resource was released
 * while a lease was active on it.
 */
@ExtendWith({PostgresExtension.class, LeakCheck.class})
class DropIdleRaceTest {
    private static final int CLIENTS = 8;
    private static final int ROUNDS = 25;

    @Test
    void aResourceIsNeverReleasedWhileALeaseThatTookItIsActive(TestDatabase db) throws Exception {
        try (ScriptedBlueprint scripted = new ScriptedBlueprint().otherwise(Step.SHOULD_KEEP, ScriptedOutcome.failed("keeps nothing idle"));
             Drydock drydock = Drydock.builder(db.dataSource()).register(scripted).build();
             Taskmaster taskmaster = drydock.taskmaster().threads(8).pollInterval(Duration.ofMillis(100)).build().start()) {
            drydock.blueprints().create("single-use", "scripted", "{\"capacity\": 1}", 3);
            ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
            try {
                List<Future<?>> all = new ArrayList<>();
                for (int c = 0; c < CLIENTS; c++) {
                    all.add(clients.submit(() -> {
                        for (int i = 0; i < ROUNDS; i++) {
                            try (Lease lease = drydock.allocator().acquire(LeaseRequest.builder("scripted").build())) {
                                lease.await(Duration.ofSeconds(60));
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : all) {
                    f.get();
                }
            } finally {
                clients.shutdownNow();
            }
            EngineCleanUp.destroyEverything(drydock);
            assertThat(db.queryLong("""
                    SELECT count(*) FROM dd_log r JOIN dd_lease l ON l.resource_id = r.resource_id
                     WHERE r.message LIKE 'resource % ACTIVE -> RELEASED: idle, and blueprint % does not keep idle resources'
                       AND EXISTS (SELECT 1 FROM dd_log a WHERE a.lease_id = l.id AND a.id < r.id AND a.message LIKE 'lease % -> ACTIVE%')
                       AND NOT EXISTS (SELECT 1 FROM dd_log e WHERE e.lease_id = l.id AND e.id < r.id AND e.message LIKE 'lease % ACTIVE -> RELEASED%')"""))
                    .as("leases active on a resource when it was released as idle").isZero();
            assertThat(db.queryLong("SELECT count(*) FROM dd_lease WHERE status = 'BROKEN'")).as("leases broken").isZero();
        }
    }
}
