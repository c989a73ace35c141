package dev.drydock.blueprint.workingcopy;

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
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ten leases at once of five refs of one repository, on clones of capacity 4 standing on at most
 * two hosts: each lease sees exactly its commit's files, read through its own filesystem interface
 * and compared by content hash; its command interface runs in its checkout at that commit; no clone
 * ever holds more than 4 active leases and no more than 2 hosts ever exist (both sampled in SQL while
 * the leases run); every checkout is gone once the leases are released, while the clones stay.
 */
@ExtendWith({PostgresExtension.class, LeakCheck.class})
class WorkingCopyConcurrencyTest {
    private static final int LEASES = 10;
    private static final int CAPACITY = 4;
    private static final int HOST_LIMIT = 2;
    private static final Duration WAIT = Duration.ofMinutes(2);

    @Test
    void tenLeasesOfFiveRefsSeeExactlyTheirCommitWithinCapacityAndLimits(TestDatabase db, @TempDir Path repoDir, @TempDir Path hostRoot)
            throws Exception {
        TestRepository repo = new TestRepository(repoDir);
        try (WorkingCopyFixture f = new WorkingCopyFixture(db, hostRoot)) {
            f.hosts("hosts", HOST_LIMIT);
            f.drydock.blueprints().create("app", WorkingCopyBlueprint.TYPE,
                    "{\"repository\": \"" + repo.url() + "\", \"capacity\": " + CAPACITY + ", \"hostBlueprints\": [\"hosts\"]}", 5);
            AtomicLong mostOnOneClone = new AtomicLong();
            AtomicLong mostHosts = new AtomicLong();
            ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
            sampler.scheduleAtFixedRate(() -> {
                mostOnOneClone.accumulateAndGet(db.queryLong("SELECT coalesce(max(n), 0) FROM (SELECT count(*) AS n FROM dd_lease"
                        + " WHERE status = 'ACTIVE' AND resource_type = 'working-copy' GROUP BY resource_id) c"), Math::max);
                mostHosts.accumulateAndGet(db.queryLong("SELECT count(*) FROM dd_resource WHERE resource_type = 'host'"
                        + " AND status <> 'DESTROYED'"), Math::max);
            }, 0, 20, TimeUnit.MILLISECONDS);
            List<String> refs = new ArrayList<>(repo.refs.keySet());
            ExecutorService clients = Executors.newFixedThreadPool(LEASES);
            try {
                List<Future<Long>> done = new ArrayList<>();
                for (int i = 0; i < LEASES; i++) {
                    String ref = refs.get(i % refs.size());
                    done.add(clients.submit(() -> holdAndCheck(f, repo, ref)));
                }
                for (Future<Long> d : done) {
                    d.get(3, TimeUnit.MINUTES);
                }
            } finally {
                clients.shutdownNow();
                sampler.shutdownNow();
            }
            System.out.println("sampled at most " + mostOnOneClone.get() + " active leases on one clone and " + mostHosts.get() + " hosts");
            try {
                assertThat(mostOnOneClone.get()).as("active leases on one clone at once").isBetween(1L, (long) CAPACITY);
                assertThat(mostHosts.get()).as("hosts at once").isBetween(1L, (long) HOST_LIMIT);
                Await.until("every lease cleaned up", WAIT, () -> db.queryLong(
                        "SELECT count(*) FROM dd_lease WHERE status = 'DESTROYED' AND resource_type = 'working-copy'") == LEASES);
                assertThat(f.checkouts()).as("checkouts left after release").isEmpty();
                assertThat(db.queryLong("SELECT count(*) FROM dd_resource WHERE resource_type = 'working-copy' AND status = 'ACTIVE'"))
                        .as("clones kept for the next lease").isBetween(1L, (long) HOST_LIMIT);
            } finally {
                f.cleanUp();
            }
            assertThat(f.leftUnderHostRoot()).as("left on the hosts after every resource is destroyed").isEmpty();
        }
    }

    /** Takes a lease of {@code ref}, checks what it sees, holds it a moment so leases overlap, and releases it. */
    private static long holdAndCheck(WorkingCopyFixture f, TestRepository repo, String ref) throws InterruptedException {
        try (Lease lease = f.drydock.allocator().acquire(LeaseRequest.builder("working-copy").attribute("ref", ref)
                .acquireDeadline(Duration.ofMinutes(3)).build())) {
            lease.await(Duration.ofMinutes(3));
            String commit = repo.refs.get(ref);
            Map<String, String> recorded = lease.info().leaseAttributes();
            assertThat(recorded).as("lease attributes of ref " + ref).containsEntry("commit", commit);
            assertThat(ContentHash.of(lease.filesystemInterface())).as("content of the checkout of ref " + ref)
                    .isEqualTo(ContentHash.of(repo.files(commit)));
            assertThat(lease.commandInterface().run(dev.drydock.api.Command.of("git", "rev-parse", "HEAD")).stdoutText().strip())
                    .as("HEAD where the lease's commands run").isEqualTo(commit);
            Thread.sleep(300); // hold it a moment, so leases overlap
            return lease.id();
        }
    }
}
