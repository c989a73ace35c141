package dev.drydock.taskqueue;

import dev.drydock.testing.Await;
import dev.drydock.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A migrated database, a queue on it, and the taskmasters a test started (closed after it). The
 * taskmasters share {@link #queue}'s data source, so its enqueues ring them directly; {@link
 * #elsewhere} enqueues on a data source of its own, as another process would.
 */
final class QueueFixture implements AutoCloseable {
    /** A poll interval long enough that a task a test sees run within seconds was woken for. */
    static final Duration NEVER_POLLS = Duration.ofMinutes(5);
    /** The sleeping taskmasters, from pg_locks: the database's own record of who holds the sleepers' lock. */
    static final String SLEEPERS = """
            SELECT count(*) FROM pg_locks
            WHERE locktype = 'advisory' AND classid = 1684305009 AND objid = 2 AND objsubid = 2 AND mode = 'ShareLock' AND granted
              AND database = (SELECT oid FROM pg_database WHERE datname = current_database())""";

    final TestDatabase db;
    final TaskQueue queue;
    final TaskQueue elsewhere;
    private final List<Taskmaster> taskmasters = new ArrayList<>();

    QueueFixture(TestDatabase db) {
        this.db = db;
        TaskQueueSchema.migrate(db.dataSource());
        this.queue = TaskQueue.builder(db.dataSource()).build();
        PGSimpleDataSource other = new PGSimpleDataSource();
        other.setURL(db.jdbcUrl());
        other.setUser(db.user());
        other.setPassword(db.password());
        this.elsewhere = TaskQueue.builder(other).build();
    }

    Taskmaster start(Consumer<Taskmaster.Builder> settings) {
        Taskmaster.Builder builder = Taskmaster.builder(db.dataSource())
                .threads(4)
                .pollInterval(Duration.ofMillis(200))
                .shutdownTimeout(Duration.ofSeconds(5));
        settings.accept(builder);
        Taskmaster taskmaster = builder.build().start();
        taskmasters.add(taskmaster);
        return taskmaster;
    }

    Taskmaster start(String kind, TaskHandler handler) {
        return start(b -> b.handler(kind, handler));
    }

    TaskInfo awaitFinal(long id) {
        return Await.value("task " + id + " to finish", Duration.ofSeconds(30),
                () -> queue.find(id).filter(t -> t.state().isFinal()).orElse(null));
    }

    long count(String sql) {
        return db.queryLong(sql);
    }

    void execute(String sql) {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new AssertionError(sql, e);
        }
    }

    @Override
    public void close() {
        taskmasters.forEach(Taskmaster::close);
        taskmasters.clear();
    }
}
