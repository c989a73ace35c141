package dev.drydock.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.api.Lease;
import dev.drydock.api.LeaseRequest;
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
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Holders that give a lease up while the taskmaster is still allocating it (a Ctrl-C during
 * {@code await}, a request that is no longer needed): the release races the PENDING -> ACQUIRED ->
 * ACTIVE steps, and must win whichever step it lands between. Checked in the database afterwards:
 * every lease ended, none holds capacity.
 */
@ExtendWith({PostgresExtension.class, LeakCheck.class})
class ReleaseRaceTest {
    private static final int HOLDERS = 16;
    private static final int LEASES_EACH = 25;

    @Test
    void aReleaseRacingTheAllocationAlwaysEndsTheLease(TestDatabase db) throws Exception {
        try (DrydockFixture fx = new DrydockFixture(db)) {
            fx.drydock.blueprints().create("racy", "local-host", fx.config(8), 2);
            List<Callable<Integer>> work = new ArrayList<>();
            for (int i = 0; i < HOLDERS; i++) {
                work.add(() -> {
                    for (int n = 0; n < LEASES_EACH; n++) {
                        Lease lease = fx.drydock.allocator().acquire(LeaseRequest.builder("host").build());
                        if (n % 3 == 0) {
                            lease.await(Duration.ofSeconds(30)); // some are used, so resources stay busy
                        } else {
                            // spread the releases over the allocation's steps: before, during and after them
                            Thread.sleep(ThreadLocalRandom.current().nextInt(0, 30));
                        }
                        lease.release();
                    }
                    return LEASES_EACH;
                });
            }
            ExecutorService pool = Executors.newFixedThreadPool(HOLDERS);
            int requested = 0;
            for (Future<Integer> f : pool.invokeAll(work)) {
                requested += f.get();
            }
            pool.shutdown();

            Await.until("every lease destroyed", Duration.ofSeconds(60),
                    () -> fx.count("SELECT count(*) FROM dd_lease WHERE status <> 'DESTROYED'") == 0);
            assertThat(fx.count("SELECT count(*) FROM dd_lease")).isEqualTo(requested);
            assertThat(fx.count("SELECT count(*) FROM dd_lease WHERE released_at IS NULL")).as("leases that ended without their release").isZero();
            assertThat(fx.count("SELECT count(*) FROM dd_lease WHERE activated_at IS NOT NULL"))
                    .as("some releases landed after activation, so the race covered every step").isPositive();
            assertThat(fx.count("SELECT count(*) FROM dd_lease WHERE activated_at IS NULL"))
                    .as("some releases landed before activation").isPositive();
            assertThat(fx.count("SELECT coalesce(sum(active_leases), 0) FROM dd_resource")).as("capacity still held").isZero();
        }
    }
}
