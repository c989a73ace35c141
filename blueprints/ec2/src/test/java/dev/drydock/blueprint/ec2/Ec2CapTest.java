package dev.drydock.blueprint.ec2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.api.Lease;
import dev.drydock.api.LeaseRequest;
import dev.drydock.testing.Await;
import dev.drydock.testing.LeakCheck;
import dev.drydock.testing.PostgresExtension;
import dev.drydock.testing.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The instance cap holds under concurrency (ec2-plugin #2030's bug): 40 leases at once against a
 * limit of 5 and a capacity of 2 never have more than 5 instances in EC2 (the fake's own records,
 * sampled) nor more than 2 active leases on one instance (ours, sampled), and every lease is served.
 */
@ExtendWith({PostgresExtension.class, LeakCheck.class})
class Ec2CapTest {
    private static final int LEASES = 40;
    private static final int LIMIT = 5;
    private static final int CAPACITY = 2;

    @Test
    void fortyLeasesAgainstLimitFiveAndCapacityTwoNeverOvershoot(TestDatabase db, @TempDir Path dir) throws Exception {
        try (Ec2Fixture ec2 = new Ec2Fixture(db, dir, Ec2Fixture.fast())) {
            ec2.drydock.blueprints().create("capped", Ec2HostBlueprint.TYPE,
                    ec2.config(Map.of("capacity", Integer.toString(CAPACITY), "keepIdleMinutes", "5")), LIMIT);
            AtomicInteger mostLeasesOnOne = new AtomicInteger();
            ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
            sampler.scheduleAtFixedRate(() -> mostLeasesOnOne.accumulateAndGet((int) db.queryLong(
                    "SELECT coalesce(max(n), 0) FROM (SELECT count(*) AS n FROM dd_lease WHERE status = 'ACTIVE' GROUP BY resource_id) c"),
                    Math::max), 0, 20, TimeUnit.MILLISECONDS);
            ExecutorService clients = Executors.newFixedThreadPool(LEASES);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int i = 0; i < LEASES; i++) {
                    done.add(clients.submit(() -> {
                        try (Lease lease = ec2.drydock.allocator().acquire(LeaseRequest.builder("host").acquireDeadline(Duration.ofMinutes(5)).build())) {
                            lease.await(Duration.ofMinutes(5));
                            Thread.sleep(200); // hold it a moment, so leases overlap
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get(6, TimeUnit.MINUTES);
                }
            } finally {
                clients.shutdownNow();
                sampler.shutdownNow();
            }
            try {
                assertThat(ec2.fake.maxLiveInstances()).as("instances in EC2 at once").isLessThanOrEqualTo(LIMIT).isPositive();
                assertThat(mostLeasesOnOne.get()).as("active leases on one instance at once").isLessThanOrEqualTo(CAPACITY);
                // releases are cleaned up after the holders return
                Await.until("every lease served and cleaned up", Duration.ofSeconds(60), () -> db.queryLong(
                        "SELECT count(*) FROM dd_lease WHERE status = 'DESTROYED' AND resource_id IS NOT NULL") == LEASES);
            } finally {
                ec2.cleanUp();
            }
            assertThat(ec2.fake.liveInstances()).as("nothing left running").isZero();
        }
    }
}
