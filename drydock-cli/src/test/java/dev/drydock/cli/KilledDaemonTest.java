package dev.drydock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.testing.Await;
import dev.drydock.testing.PostgresExtension;
import dev.drydock.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The taskmaster daemon is killed with SIGKILL in the middle of allocations. After a new one
 * starts, every lease ends active-and-released or broken with a reason, none is stuck, and no
 * capacity is leaked — checked from the database's rows.
 */
@ExtendWith(PostgresExtension.class)
class KilledDaemonTest {
    private static final int LEASES = 24;

    @TempDir
    static Path temp;

    @Test
    void leasesSurviveASigkilledTaskmaster(TestDatabase db) throws Exception {
        Cli cli = new Cli(db, temp);
        Path root = Files.createTempDirectory(temp, "killed-hosts");
        assertThat(cli.run("blueprint", "create", "--type", "local-host", "--name", "pool",
                "--set", "root=" + root, "--set", "capacity=2", "--limit", "4").exitCode()).isZero();
        // Short TTLs make leases cycle through the 8 slots, so the kill lands among allocations and releases.
        Cli.Result requested = cli.run("lease", "--type", "host", "--count", Integer.toString(LEASES), "--ttl", "1s", "--no-wait");
        assertThat(requested.exitCode()).as(requested.stderr()).isZero();

        Path firstLog = Files.createTempFile(temp, "victim", ".log");
        Process victim = cli.daemon(firstLog, "--task-lease", "3s");
        Await.until("some leases active", Duration.ofSeconds(60), () -> count(db, "SELECT count(*) FROM dd_lease WHERE activated_at IS NOT NULL") >= 4);
        victim.destroyForcibly(); // SIGKILL
        victim.waitFor();
        long doneBeforeRestart = count(db, "SELECT count(*) FROM dd_lease WHERE status = 'DESTROYED'");
        assertThat(doneBeforeRestart).as("the kill landed mid-way").isLessThan(LEASES);

        Path secondLog = Files.createTempFile(temp, "successor", ".log");
        Process successor = cli.daemon(secondLog, "--task-lease", "3s");
        try {
            Await.until("every lease finished", Duration.ofSeconds(120),
                    () -> count(db, "SELECT count(*) FROM dd_lease WHERE status NOT IN ('DESTROYED', 'BROKEN')") == 0);
            Await.until("capacity given back", Duration.ofSeconds(30),
                    () -> count(db, "SELECT coalesce(sum(active_leases), 0) FROM dd_resource") == 0);
        } finally {
            successor.destroy();
            successor.waitFor();
        }

        assertThat(count(db, "SELECT count(*) FROM dd_lease WHERE status = 'BROKEN' AND status_reason = ''"))
                .as("every broken lease says why").isZero();
        assertThat(count(db, "SELECT count(*) FROM dd_lease WHERE activated_at IS NOT NULL"))
                .as("all leases were served (their deadline is 10 minutes)").isEqualTo(LEASES);
        assertThat(count(db, "SELECT count(*) FROM dd_resource WHERE status <> 'DESTROYED'"))
                .as("the blueprint's count matches its live resources")
                .isEqualTo(count(db, "SELECT resource_count FROM dd_blueprint WHERE name = 'pool'"));
        assertThat(count(db, "SELECT count(*) FROM dd_resource")).isLessThanOrEqualTo(4);
    }

    private static long count(TestDatabase db, String sql) {
        return db.queryLong(sql);
    }
}
