package dev.drydock.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.api.Command;
import dev.drydock.api.Lease;
import dev.drydock.api.LeaseRequest;
import dev.drydock.api.LeaseStatus;
import dev.drydock.testing.Await;
import dev.drydock.testing.LeakCheck;
import dev.drydock.testing.PostgresExtension;
import dev.drydock.testing.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * 64 concurrent acquirers against a blueprint with limit 4 and capacity 2: all are served in turn,
 * and the database's own records show the limits were never exceeded.
 */
@ExtendWith({PostgresExtension.class, LeakCheck.class})
class ConcurrentAcquireTest {
    private static final int ACQUIRERS = 64;

    @Test
    void sixtyFourAcquirersShareFourHostsOfCapacityTwoWithoutOvershoot(TestDatabase db) throws Exception {
        try (DrydockFixture fx = new DrydockFixture(db)) {
            fx.drydock.blueprints().create("pool", "local-host", fx.config(2), 4);
            List<Callable<Long>> work = new ArrayList<>();
            for (int i = 0; i < ACQUIRERS; i++) {
                work.add(() -> {
                    try (Lease lease = fx.drydock.allocator().acquire(LeaseRequest.builder("host").build())) {
                        lease.await(Duration.ofMinutes(2));
                        lease.commandInterface().run(Command.of("sleep", "0.05"));
                        return lease.id();
                    }
                });
            }
            ExecutorService pool = Executors.newFixedThreadPool(ACQUIRERS);
            List<Long> ids = new ArrayList<>();
            for (Future<Long> f : pool.invokeAll(work)) {
                ids.add(f.get());
            }
            pool.shutdown();
            Await.until("all leases destroyed", Duration.ofSeconds(60),
                    () -> fx.count("SELECT count(*) FROM dd_lease WHERE status <> 'DESTROYED'") == 0);

            assertThat(ids).doesNotHaveDuplicates().hasSize(ACQUIRERS);
            assertThat(fx.count("SELECT count(*) FROM dd_lease WHERE activated_at IS NOT NULL")).as("every lease became active").isEqualTo(ACQUIRERS);
            assertThat(fx.count("SELECT count(*) FROM dd_resource")).as("resources ever created").isLessThanOrEqualTo(4);
            // For every lease, how many leases on its resource were active at the moment it became active.
            assertThat(fx.count("""
                    SELECT coalesce(max(n), 0) FROM (
                      SELECT l.id, count(*) AS n FROM dd_lease l JOIN dd_lease m
                        ON m.resource_id = l.resource_id AND m.activated_at <= l.activated_at
                       AND (m.released_at IS NULL OR m.released_at > l.activated_at)
                      GROUP BY l.id) x""")).as("most leases active at once on one resource").isLessThanOrEqualTo(2);
            assertThat(fx.count("SELECT coalesce(sum(active_leases), 0) FROM dd_resource")).as("capacity leaked").isZero();
            assertThat(fx.count("SELECT resource_count FROM dd_blueprint WHERE name = 'pool'")).isLessThanOrEqualTo(4);
            assertThat(fx.drydock.leases(java.util.Optional.of(LeaseStatus.BROKEN), 10)).isEmpty();
        }
    }
}
