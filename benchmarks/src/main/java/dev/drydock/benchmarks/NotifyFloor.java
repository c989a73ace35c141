package dev.drydock.benchmarks;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;
import org.postgresql.PGConnection;

/**
 * PostgreSQL's own LISTEN/NOTIFY latency on this server, with no queue code involved: one
 * connection sends {@code pg_notify} in its own transaction, another waits for it. The time from
 * the sending call's return to the notification's arrival is the floor under any cross-process
 * wake-up through the database.
 */
final class NotifyFloor {
    private NotifyFloor() {}

    static Percentiles measure(DataSource dataSource, int perSecond, int samples) throws SQLException {
        long[] micros = new long[samples];
        try (Connection listener = dataSource.getConnection(); Connection sender = dataSource.getConnection();
             PreparedStatement notify = sender.prepareStatement("SELECT pg_notify('drydock_bench_floor', '')")) {
            try (Statement s = listener.createStatement()) {
                s.execute("LISTEN drydock_bench_floor");
            }
            PGConnection pg = listener.unwrap(PGConnection.class);
            for (int i = 0; i < samples; i++) {
                LockSupport.parkNanos(1_000_000_000L / perSecond);
                notify.execute();
                long sent = System.nanoTime();
                if (pg.getNotifications(5_000) == null) {
                    throw new IllegalStateException("a notification did not arrive within 5 s");
                }
                micros[i] = (System.nanoTime() - sent) / 1_000;
            }
            try (Statement s = listener.createStatement()) {
                s.execute("UNLISTEN *");
            }
        }
        return Percentiles.of(micros, samples);
    }
}
