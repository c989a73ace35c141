package dev.drydock.taskqueue;

import dev.drydock.taskqueue.internal.Enqueuer;
import dev.drydock.taskqueue.internal.LocalTaskmasters;
import dev.drydock.taskqueue.internal.QueueAdmin;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;

/**
 * Producer and operator side of the queue. Thread-safe; holds no connection between calls.
 *
 * <p>Connections taken from the data source are used in auto-commit mode.
 *
 * <p>Enqueue either standalone (its own transaction) or on a caller's {@link Connection} or jdbi
 * {@link Handle}, in which case the tasks commit or roll back with the caller's transaction and
 * taskmasters are woken when it commits. Enqueued tasks are durable once committed.
 *
 * <p>Taskmasters started in this JVM on the same {@code DataSource} object are rung directly once
 * an enqueue's tasks are committed, when this queue sees the commit: its own transaction, a
 * connection in auto-commit, or a jdbi handle (after its transaction commits). Tasks committed
 * where it cannot see (your own JDBC transaction, {@link SqlEnqueue}) reach them through the
 * database's wake-ups as they reach every other process, or at once after {@link #wakeTaskmasters()}.
 */
public final class TaskQueue {
    private final DataSource dataSource;
    private final Enqueuer enqueuer;
    private final QueueAdmin admin;

    private TaskQueue(Builder builder) {
        this.dataSource = builder.dataSource;
        Map<String, RetryPolicy> policies = Map.copyOf(builder.policies);
        RetryPolicy fallback = builder.defaultPolicy;
        this.enqueuer = new Enqueuer(kind -> policies.getOrDefault(kind, fallback));
        this.admin = new QueueAdmin(dataSource);
    }

    public static Builder builder(DataSource dataSource) {
        return new Builder(dataSource);
    }

    /** Enqueues one task in its own transaction; returns its id (the queued twin's on dedupe). */
    public long enqueue(TaskSpec spec) {
        return enqueueAll(List.of(Objects.requireNonNull(spec, "spec"))).get(0);
    }

    /** Enqueues a batch in one transaction and one statement; ids in the order given. */
    public List<Long> enqueueAll(List<TaskSpec> specs) {
        List<TaskSpec> copy = List.copyOf(specs);
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(true);
            List<Long> ids = enqueuer.enqueue(connection, copy);
            committed(copy);
            return ids;
        } catch (SQLException e) {
            throw new TaskQueueException("could not get a connection to enqueue: " + e.getMessage(), e);
        }
    }

    /** Enqueues on the caller's connection and within its transaction, if one is open. */
    public long enqueue(Connection connection, TaskSpec spec) {
        return enqueueAll(connection, List.of(Objects.requireNonNull(spec, "spec"))).get(0);
    }

    public List<Long> enqueueAll(Connection connection, List<TaskSpec> specs) {
        Objects.requireNonNull(connection, "connection");
        List<TaskSpec> copy = List.copyOf(specs);
        List<Long> ids = enqueuer.enqueue(connection, copy);
        if (autoCommits(connection)) {
            committed(copy);
        }
        return ids;
    }

    /** Enqueues within the jdbi handle's transaction, if one is open. */
    public long enqueue(Handle handle, TaskSpec spec) {
        return enqueueAll(handle, List.of(Objects.requireNonNull(spec, "spec"))).get(0);
    }

    public List<Long> enqueueAll(Handle handle, List<TaskSpec> specs) {
        Objects.requireNonNull(handle, "handle");
        List<TaskSpec> copy = List.copyOf(specs);
        List<Long> ids = enqueuer.enqueue(handle.getConnection(), copy);
        if (handle.isInTransaction()) {
            handle.afterCommit(() -> committed(copy));
        } else {
            committed(copy);
        }
        return ids;
    }

    /**
     * Rings the taskmasters of this JVM on this queue's data source, for tasks committed where this
     * queue could not see the commit ({@link SqlEnqueue}, {@code tq_enqueue}, your own JDBC
     * transaction): call it after the commit and they claim at once. Without it they find the tasks
     * as any other process does, through a {@code NOTIFY} or their next look.
     */
    public void wakeTaskmasters() {
        LocalTaskmasters.committed(dataSource);
    }

    /** Rings the local taskmasters that run a kind among {@code specs} due now; a delayed task's NOTIFY wakes them when due. */
    private void committed(List<TaskSpec> specs) {
        List<String> due = specs.stream().filter(spec -> spec.delay().isZero()).map(TaskSpec::kind).distinct().toList();
        if (!due.isEmpty()) {
            LocalTaskmasters.committed(dataSource, due);
        }
    }

    private static boolean autoCommits(Connection connection) {
        try {
            return connection.getAutoCommit();
        } catch (SQLException e) {
            return false; // a broken connection: the enqueue's own error is what the caller sees
        }
    }

    /** Cancels a queued task; running and finished tasks are left alone (see {@link CancelResult}). */
    public CancelResult cancel(long taskId) {
        return admin.cancel(taskId);
    }

    /**
     * Puts an archived failed or cancelled task back in the queue with a fresh set of attempts,
     * keeping its id; see {@link RetryResult} for what happens when it cannot.
     */
    public RetryResult retry(long taskId) {
        return admin.retry(taskId);
    }

    public Optional<TaskInfo> find(long taskId) {
        return admin.find(taskId);
    }

    public List<TaskInfo> list(TaskFilter filter) {
        return admin.list(Objects.requireNonNull(filter, "filter"));
    }

    /** Depth, readiness and age per kind, and the live taskmasters. */
    public QueueStats stats() {
        return admin.stats();
    }

    /** Deletes archived tasks that finished more than {@code age} ago; returns how many. */
    public long prune(Duration age) {
        Objects.requireNonNull(age, "age");
        if (age.isNegative()) {
            throw new IllegalArgumentException("prune age must not be negative, was " + age);
        }
        return admin.prune(age);
    }

    /** Settings for a {@link TaskQueue}. */
    public static final class Builder {
        private final DataSource dataSource;
        private final Map<String, RetryPolicy> policies = new HashMap<>();
        private RetryPolicy defaultPolicy = RetryPolicy.DEFAULT;

        private Builder(DataSource dataSource) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        }

        /** The retry policy of tasks of {@code kind} that do not name their own. */
        public Builder retryPolicy(String kind, RetryPolicy policy) {
            policies.put(Objects.requireNonNull(kind, "kind"), Objects.requireNonNull(policy, "policy"));
            return this;
        }

        /** The retry policy of kinds without one of their own. Default {@link RetryPolicy#DEFAULT}. */
        public Builder defaultRetryPolicy(RetryPolicy policy) {
            this.defaultPolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        public TaskQueue build() {
            return new TaskQueue(this);
        }
    }
}
