package dev.drydock.taskqueue.internal;

import dev.drydock.taskqueue.RetryPolicy;
import dev.drydock.taskqueue.TaskQueueException;
import dev.drydock.taskqueue.TaskSpec;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Inserts tasks on a caller's connection in one statement, whatever its transaction state: in
 * auto-commit the tasks and their wake-up commit at once; inside a transaction they commit (and
 * wake taskmasters) with it.
 */
public final class Enqueuer {
    private final Function<String, RetryPolicy> policies;

    public Enqueuer(Function<String, RetryPolicy> policies) {
        this.policies = policies;
    }

    /** Returns one id per spec, in order; specs sharing a dedupe key get the same id. */
    public List<Long> enqueue(Connection connection, List<TaskSpec> specs) {
        if (specs.isEmpty()) {
            return List.of();
        }
        // One statement may not touch a conflicting row twice, so twins within the batch merge here first.
        Map<String, Integer> slotOfKey = new HashMap<>();
        List<Merged> rows = new ArrayList<>();
        int[] slotOfSpec = new int[specs.size()];
        for (int i = 0; i < specs.size(); i++) {
            TaskSpec spec = specs.get(i);
            String key = spec.dedupeKey().orElse(null);
            Integer slot = key == null ? null : slotOfKey.get(key);
            if (slot == null) {
                slot = rows.size();
                rows.add(new Merged(spec, spec.delay().toMillis(), spec.priority()));
                if (key != null) {
                    slotOfKey.put(key, slot);
                }
            } else {
                Merged first = rows.get(slot);
                rows.set(slot, new Merged(first.spec, Math.min(first.delayMs, spec.delay().toMillis()), Math.max(first.priority, spec.priority())));
            }
            slotOfSpec[i] = slot;
        }
        List<Long> ids = insert(connection, rows);
        List<Long> result = new ArrayList<>(specs.size());
        for (int slot : slotOfSpec) {
            result.add(ids.get(slot));
        }
        return result;
    }

    private List<Long> insert(Connection connection, List<Merged> rows) {
        return rows.size() == 1 ? List.of(insertOne(connection, rows.get(0))) : insertBatch(connection, rows);
    }

    private long insertOne(Connection connection, Merged row) {
        TaskSpec spec = row.spec;
        RetryPolicy policy = policyOf(spec);
        try (PreparedStatement statement = connection.prepareStatement(QueueSql.ENQUEUE_ONE)) {
            statement.setString(1, spec.kind());
            statement.setString(2, spec.payload());
            statement.setInt(3, row.priority);
            statement.setLong(4, row.delayMs);
            statement.setInt(5, policy.maxAttempts());
            statement.setLong(6, policy.initialBackoff().toMillis());
            statement.setLong(7, policy.maxBackoff().toMillis());
            statement.setString(8, spec.dedupeKey().orElse(null));
            statement.setString(9, spec.serialKey().orElse(null));
            try (ResultSet rs = statement.executeQuery()) {
                if (!rs.next()) {
                    throw new TaskQueueException("enqueue of " + spec + " returned no id; the transaction should be rolled back");
                }
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new TaskQueueException(describe(e, List.of(row)), e);
        }
    }

    private RetryPolicy policyOf(TaskSpec spec) {
        return spec.retryPolicy().orElseGet(() -> policies.apply(spec.kind()));
    }

    private List<Long> insertBatch(Connection connection, List<Merged> rows) {
        int n = rows.size();
        String[] kinds = new String[n];
        String[] payloads = new String[n];
        Integer[] priorities = new Integer[n];
        Long[] delays = new Long[n];
        String[] dedupeKeys = new String[n];
        String[] serialKeys = new String[n];
        Integer[] maxAttempts = new Integer[n];
        Long[] backoffs = new Long[n];
        Long[] backoffMaxes = new Long[n];
        for (int i = 0; i < n; i++) {
            Merged row = rows.get(i);
            TaskSpec spec = row.spec;
            RetryPolicy policy = policyOf(spec);
            kinds[i] = spec.kind();
            payloads[i] = spec.payload();
            priorities[i] = row.priority;
            delays[i] = row.delayMs;
            dedupeKeys[i] = spec.dedupeKey().orElse(null);
            serialKeys[i] = spec.serialKey().orElse(null);
            maxAttempts[i] = policy.maxAttempts();
            backoffs[i] = policy.initialBackoff().toMillis();
            backoffMaxes[i] = policy.maxBackoff().toMillis();
        }
        try (PreparedStatement statement = connection.prepareStatement(QueueSql.ENQUEUE)) {
            List<Array> arrays = List.of(
                    connection.createArrayOf("text", kinds),
                    connection.createArrayOf("text", payloads),
                    connection.createArrayOf("int4", priorities),
                    connection.createArrayOf("int8", delays),
                    connection.createArrayOf("text", dedupeKeys),
                    connection.createArrayOf("text", serialKeys),
                    connection.createArrayOf("int4", maxAttempts),
                    connection.createArrayOf("int8", backoffs),
                    connection.createArrayOf("int8", backoffMaxes));
            for (int i = 0; i < arrays.size(); i++) {
                statement.setArray(i + 1, arrays.get(i));
            }
            List<Long> ids = new ArrayList<>(n);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
            if (ids.size() != n) {
                throw new TaskQueueException("enqueue inserted " + ids.size() + " of " + n + " tasks; the transaction should be rolled back");
            }
            return ids;
        } catch (SQLException e) {
            throw new TaskQueueException(describe(e, rows), e);
        }
    }

    private static String describe(SQLException e, List<Merged> rows) {
        if ("22P02".equals(e.getSQLState())) {
            Map<String, Long> kinds = new LinkedHashMap<>();
            rows.forEach(r -> kinds.merge(r.spec.kind(), 1L, Long::sum));
            return "enqueue refused: a task payload is not valid JSON (kinds " + kinds.keySet() + "): " + e.getMessage();
        }
        return "enqueue of " + rows.size() + " task(s) failed: " + e.getMessage();
    }

    private record Merged(TaskSpec spec, long delayMs, int priority) {}
}
