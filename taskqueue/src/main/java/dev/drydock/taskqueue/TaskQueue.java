package dev.drydock.taskqueue;

import dev.drydock.taskqueue.internal.Enqueuer;
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
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(true);
            return enqueuer.enqueue(connection, List.copyOf(specs));
        } catch (SQLException e) {
            throw new TaskQueueException("could not get a connection to enqueue: " + e.getMessage(), e);
        }
    }

    /** Enqueues on the caller's connection and within its transaction, if one is open. */
    public long enqueue(Connection connection, TaskSpec spec) {
        return enqueuer.enqueue(Objects.requireNonNull(connection, "connection"), List.of(spec)).get(0);
    }

    public List<Long> enqueueAll(Connection connection, List<TaskSpec> specs) {
        return enqueuer.enqueue(Objects.requireNonNull(connection, "connection"), List.copyOf(specs));
    }

    /** Enqueues within the jdbi handle's transaction, if one is open. */
    public long enqueue(Handle handle, TaskSpec spec) {
        return enqueue(Objects.requireNonNull(handle, "handle").getConnection(), spec);
    }

    public List<Long> enqueueAll(Handle handle, List<TaskSpec> specs) {
        return enqueueAll(Objects.requireNonNull(handle, "handle").getConnection(), specs);
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
