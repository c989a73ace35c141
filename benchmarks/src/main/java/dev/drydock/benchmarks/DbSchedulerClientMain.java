package dev.drydock.benchmarks;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.zaxxer.hikari.HikariDataSource;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * db-scheduler's enqueuer in a process of its own, for the cross-process latency phase: a
 * {@code SchedulerClient} (no scheduler here, so no immediate execution) schedules the latency task
 * at a steady rate, stamping each with the wall clock just before the call. Prints {@code DONE} when
 * it has scheduled them all. Arguments: jdbcUrl user perSecond seconds (the password comes in the
 * environment).
 */
public final class DbSchedulerClientMain {
    private DbSchedulerClientMain() {}

    public static void main(String[] args) {
        BenchDatabase db = BenchDatabase.inChild(args[0], args[1]);
        int perSecond = Integer.parseInt(args[2]);
        int seconds = Integer.parseInt(args[3]);
        try (HikariDataSource pool = db.pool("dbscheduler-client", 2)) {
            SchedulerClient client = SchedulerClient.Builder.create(pool, DbSchedulerRunner.remoteLatencyTask(stamp -> { })).build();
            AtomicLong sequence = new AtomicLong();
            Pacer.run(perSecond, seconds, () -> {
                long now = Micros.now();
                client.schedule(DbSchedulerRunner.remoteLatencyTask(stamp -> { }).instance("r" + sequence.incrementAndGet(), now), Instant.now());
            });
        }
        System.out.println("DONE");
        System.out.flush();
    }
}
