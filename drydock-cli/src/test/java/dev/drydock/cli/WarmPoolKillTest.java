package dev.drydock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.interfaces.local.TreeDeletion;
import dev.drydock.testing.Await;
import dev.drydock.testing.PostgresExtension;

import dev.drydock.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A warm pool of 2 survives its taskmaster daemon being SIGKILLed mid-build and a ready resource
 * breaking: a new daemon brings it back to exactly 2 idle, ready resources, and at no moment does
 * the blueprint hold more resources than its limit (sampled in SQL throughout).
 */
@ExtendWith(PostgresExtension.class)
class WarmPoolKillTest {
    private static final int LIMIT = 3;

    @TempDir
    static Path temp;

    @Test
    void aWarmPoolComesBackToTwoIdleAfterAKilledDaemonAndABrokenResourceWithinItsLimit(TestDatabase db) throws Exception {
        Cli cli = new Cli(db, temp);
        Path root = Files.createTempDirectory(temp, "warm-pool-hosts");
        Set<String> over = ConcurrentHashMap.newKeySet();
        AtomicBoolean sampling = new AtomicBoolean(true);
        Thread sampler = Thread.ofPlatform().daemon().start(() -> {
            while (sampling.get()) {
                long count = db.queryLong("SELECT count(*) FROM dd_resource WHERE status <> 'DESTROYED'");
                long reserved = db.queryLong("SELECT coalesce(max(resource_count), 0) FROM dd_blueprint");
                if (count > LIMIT || reserved > LIMIT) {
                    over.add(count + " resources, " + reserved + " places taken");
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        Process successor = null;
        try {
            assertThat(cli.run("blueprint", "create", "--type", "local-host", "--name", "warm", "--set", "root=" + root,
                    "--set", "buildDelaySeconds=1", "--set", "healthCheckSeconds=1", "--limit", Integer.toString(LIMIT)).exitCode()).isZero();
            Cli.Result set = cli.run("blueprint", "warm-pool", "warm", "--min-ready", "2");
            assertThat(set.exitCode()).as(set.stderr()).isZero();
            assertThat(set.stdout()).contains("blueprint warm: keep 2 idle and ready");

            Process victim = cli.daemon(Files.createTempFile(temp, "warm-victim", ".log"), "--task-lease", "3s");
            Await.until("warm builds in flight", Duration.ofSeconds(60),
                    () -> db.queryLong("SELECT count(*) FROM dd_resource WHERE status = 'PENDING' AND warm_pool_id IS NOT NULL") >= 1);
            victim.destroyForcibly(); // SIGKILL, mid-build
            victim.waitFor();
            assertThat(idle(db)).as("killed before the pool was met").isLessThan(2);

            successor = cli.daemon(Files.createTempFile(temp, "warm-successor", ".log"), "--task-lease", "3s");
            Await.until("two idle, ready resources", Duration.ofSeconds(90), () -> idle(db) == 2);

            long broken = db.queryLong("SELECT min(id) FROM dd_resource WHERE status = 'ACTIVE'");
            TreeDeletion.delete(root.resolve("resource-" + broken));
            Await.until("the resource whose directory went is broken", Duration.ofSeconds(60), () -> db.queryLong(
                    "SELECT count(*) FROM dd_resource WHERE id = " + broken + " AND status IN ('BROKEN', 'DESTROYED')") == 1);
            Await.until("two idle, ready resources again", Duration.ofSeconds(90),
                    () -> idle(db) == 2 && db.queryLong("SELECT count(*) FROM dd_resource WHERE status = 'PENDING'") == 0);
            assertThat(db.queryLong("SELECT count(*) FROM dd_resource WHERE id = " + broken + " AND status_reason LIKE '%is gone%'"))
                    .as("it says why it broke").isOne();

            Cli.Result status = cli.run("status");
            assertThat(status.stdout()).contains("warm pools (what the planner wants, and why):", "warm: 2 of 2 ready idle, building 0");

            assertThat(cli.run("blueprint", "warm-pool", "warm", "--min-ready", "0").exitCode()).isZero();
            Await.until("the pool's resources retired", Duration.ofSeconds(60),
                    () -> db.queryLong("SELECT count(*) FROM dd_resource WHERE status <> 'DESTROYED'") == 0);
        } finally {
            sampling.set(false);
            sampler.join();
            if (successor != null) {
                successor.destroy();
                successor.waitFor();
            }
            TreeDeletion.delete(root);
        }
        assertThat(over).as("moments the blueprint held more than its limit of " + LIMIT).isEmpty();
    }

    private static long idle(TestDatabase db) {
        return db.queryLong("SELECT count(*) FROM dd_resource WHERE status = 'ACTIVE' AND active_leases = 0");
    }
}
