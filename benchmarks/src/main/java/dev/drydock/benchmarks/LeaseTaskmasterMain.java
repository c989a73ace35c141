package dev.drydock.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import dev.drydock.blueprint.localhost.LocalHostBlueprint;
import dev.drydock.core.Drydock;
import dev.drydock.taskqueue.Taskmaster;
import dev.drydock.taskqueue.TaskmasterMetrics;
import java.io.IOException;
import java.time.Duration;

/**
 * The allocation side of {@code drydock-bench lease}: one Drydock taskmaster (local-host blueprints)
 * in its own JVM, as in a real installation, so every lease crosses the database twice (request to
 * taskmaster, activation back to the holder). Prints {@code READY} once it claims, runs until its
 * stdin closes, then prints {@code TASKMASTER claimed succeeded yielded retried failed lost}.
 * Arguments: jdbcUrl user threads (the password comes in the environment).
 */
public final class LeaseTaskmasterMain {
    private LeaseTaskmasterMain() {}

    public static void main(String[] args) throws IOException {
        BenchDatabase db = BenchDatabase.inChild(args[0], args[1]);
        int threads = Integer.parseInt(args[2]);
        TaskmasterMetrics metrics;
        // handlers each hold one connection at a time; plus the dispatcher's, the queue listener's
        // and Drydock's lease-event listener
        try (HikariDataSource pool = db.pool("lease-taskmaster", threads + 6);
             Drydock drydock = Drydock.builder(pool).register(new LocalHostBlueprint())
                     .analyzeYoungLeaseTable(true).build()) {
            Taskmaster taskmaster = drydock.taskmaster().name("bench-lease").threads(threads).build().start();
            try {
                System.out.println("READY");
                System.out.flush();
                while (System.in.read() != -1) {
                    // until the parent closes our stdin
                }
            } finally {
                taskmaster.close(Duration.ofSeconds(5));
            }
            metrics = taskmaster.metrics();
        }
        System.out.printf("TASKMASTER %d %d %d %d %d %d%n", metrics.claimed(), metrics.succeeded(), metrics.yielded(),
                metrics.retried(), metrics.failed(), metrics.lost());
        System.out.flush();
        System.exit(0);
    }
}
