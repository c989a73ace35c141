package dev.drydock.taskqueue.internal;

import dev.drydock.taskqueue.CancelResult;
import dev.drydock.taskqueue.KindStats;
import dev.drydock.taskqueue.QueueStats;
import dev.drydock.taskqueue.RetryResult;
import dev.drydock.taskqueue.TaskFilter;
import dev.drydock.taskqueue.TaskInfo;
import dev.drydock.taskqueue.TaskQueueException;
import dev.drydock.taskqueue.TaskState;
import dev.drydock.taskqueue.TaskmasterInfo;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.sql.DataSource;

/** The operator side of the queue: inspection, cancel, retry, prune. */
public final class QueueAdmin {
    private static final String LIVE_COLUMNS = """
            id, kind, state, payload::text, priority, attempt, max_attempts, created_at, run_after, started_at,
            NULL::timestamptz AS finished_at, owner, dedupe_key, serial_key, last_error FROM tq_task""";
    private static final String ARCHIVED_COLUMNS = """
            id, kind, outcome, payload::text, priority, attempt, max_attempts, created_at, NULL::timestamptz, started_at,
            finished_at, owner, dedupe_key, serial_key, last_error FROM tq_task_archive""";

    private static final String CANCEL = """
            WITH d AS (DELETE FROM tq_task WHERE id = ? AND state = 'queued' RETURNING *)
            INSERT INTO tq_task_archive (%s)
            SELECT id, kind, payload, priority, 'cancelled', created_at, started_at, attempt, max_attempts,
                   backoff_ms, backoff_max_ms, dedupe_key, serial_key, owner, 'cancelled by an operator' FROM d
            """.formatted(QueueSql.ARCHIVE_COLUMNS);

    private static final String RETRY = """
            WITH a AS (
              SELECT * FROM tq_task_archive WHERE id = ? AND outcome IN ('failed', 'cancelled') FOR UPDATE
            ), ins AS (
              INSERT INTO tq_task (id, kind, payload, priority, state, run_after, created_at, attempt, max_attempts,
                                   backoff_ms, backoff_max_ms, dedupe_key, serial_key, last_error)
              SELECT id, kind, payload, priority, 'queued', now(), created_at, 0, max_attempts,
                     backoff_ms, backoff_max_ms, dedupe_key, serial_key, last_error FROM a
              ON CONFLICT DO NOTHING
              RETURNING id
            ), del AS (
              DELETE FROM tq_task_archive WHERE id IN (SELECT id FROM ins)
            ), wake AS (
              SELECT pg_notify('%s', '0') FROM ins
            )
            SELECT (SELECT count(*) FROM a), (SELECT count(*) FROM ins), (SELECT count(*) FROM wake)
            """.formatted(QueueSql.CHANNEL);

    private static final String KIND_STATS = """
            SELECT kind,
                   count(*) FILTER (WHERE state = 'queued'),
                   count(*) FILTER (WHERE state = 'queued' AND run_after <= now()),
                   count(*) FILTER (WHERE state = 'running'),
                   COALESCE((extract(epoch FROM now() - min(run_after) FILTER (WHERE state = 'queued' AND run_after <= now())) * 1000)::bigint, 0),
                   EXISTS (SELECT 1 FROM tq_taskmaster m WHERE t.kind = ANY(m.kinds)
                           AND m.heartbeat_at > now() - m.lease_ms * interval '1 millisecond')
            FROM tq_task t GROUP BY kind ORDER BY kind
            """;

    private static final String LIVE_TASKMASTERS = """
            SELECT id, host, pid, threads, kinds, started_at, heartbeat_at FROM tq_taskmaster
            WHERE heartbeat_at > now() - lease_ms * interval '1 millisecond' ORDER BY started_at
            """;

    private final DataSource dataSource;

    public QueueAdmin(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public CancelResult cancel(long id) {
        return withConnection("cancel task " + id, c -> {
            // The task can move between our statements (claimed, or handed back to the queue), so
            // look again until what we see is stable.
            for (int tries = 0; tries < 5; tries++) {
                if (Sql.update(c, CANCEL, id) == 1) {
                    return CancelResult.CANCELLED;
                }
                Optional<TaskInfo> task = find(c, id);
                if (task.isEmpty()) {
                    return CancelResult.NOT_FOUND;
                }
                if (task.get().state() == TaskState.RUNNING) {
                    return CancelResult.RUNNING;
                }
                if (task.get().state().isFinal()) {
                    return CancelResult.ALREADY_FINISHED;
                }
            }
            return CancelResult.RUNNING;
        });
    }

    public RetryResult retry(long id) {
        return withConnection("retry task " + id, c -> {
            try (PreparedStatement s = c.prepareStatement(RETRY)) {
                s.setLong(1, id);
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    if (rs.getLong(1) == 0) {
                        return RetryResult.NOT_FOUND;
                    }
                    return rs.getLong(2) == 1 ? RetryResult.REQUEUED : RetryResult.COALESCED;
                }
            }
        });
    }

    public Optional<TaskInfo> find(long id) {
        return withConnection("find task " + id, c -> find(c, id));
    }

    private Optional<TaskInfo> find(Connection c, long id) throws SQLException {
        List<TaskInfo> found = query(c, "SELECT " + LIVE_COLUMNS + " WHERE id = ? UNION ALL SELECT " + ARCHIVED_COLUMNS + " WHERE id = ?", id, id);
        return found.stream().findFirst();
    }

    public List<TaskInfo> list(TaskFilter filter) {
        return withConnection("list tasks", c -> {
            List<Object> params = new ArrayList<>();
            StringBuilder sql = new StringBuilder("SELECT * FROM (");
            boolean live = filter.state().map(s -> !s.isFinal()).orElse(true);
            boolean archived = filter.state().map(TaskState::isFinal).orElse(true);
            if (live) {
                sql.append("SELECT ").append(LIVE_COLUMNS).append(" WHERE true");
                filter.state().ifPresent(s -> {
                    sql.append(" AND state = ?");
                    params.add(s.name().toLowerCase(Locale.ROOT));
                });
                filter.kind().ifPresent(k -> {
                    sql.append(" AND kind = ?");
                    params.add(k);
                });
            }
            if (live && archived) {
                sql.append(" UNION ALL ");
            }
            if (archived) {
                sql.append("SELECT ").append(ARCHIVED_COLUMNS).append(" WHERE true");
                filter.state().ifPresent(s -> {
                    sql.append(" AND outcome = ?");
                    params.add(s.name().toLowerCase(Locale.ROOT));
                });
                filter.kind().ifPresent(k -> {
                    sql.append(" AND kind = ?");
                    params.add(k);
                });
            }
            sql.append(") t ORDER BY id DESC LIMIT ?");
            params.add(filter.limit());
            return query(c, sql.toString(), params.toArray());
        });
    }

    public QueueStats stats() {
        return withConnection("read queue stats", c -> {
            List<KindStats> kinds = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement(KIND_STATS); ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    kinds.add(new KindStats(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4),
                            Duration.ofMillis(rs.getLong(5)), rs.getBoolean(6)));
                }
            }
            List<TaskmasterInfo> taskmasters = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement(LIVE_TASKMASTERS); ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    Array kindArray = rs.getArray(5);
                    taskmasters.add(new TaskmasterInfo(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getInt(4),
                            Arrays.asList((String[]) kindArray.getArray()), instant(rs.getTimestamp(6)), instant(rs.getTimestamp(7))));
                }
            }
            return new QueueStats(kinds, taskmasters);
        });
    }

    public long prune(Duration age) {
        return withConnection("prune archived tasks", c ->
                (long) Sql.update(c, "DELETE FROM tq_task_archive WHERE finished_at < now() - ? * interval '1 millisecond'", age.toMillis()));
    }

    private static List<TaskInfo> query(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            Sql.bind(s, params);
            try (ResultSet rs = s.executeQuery()) {
                List<TaskInfo> result = new ArrayList<>();
                while (rs.next()) {
                    result.add(new TaskInfo(
                            rs.getLong(1), rs.getString(2), TaskState.valueOf(rs.getString(3).toUpperCase(Locale.ROOT)),
                            rs.getString(4), rs.getInt(5), rs.getInt(6), rs.getInt(7), instant(rs.getTimestamp(8)),
                            optionalInstant(rs.getTimestamp(9)), optionalInstant(rs.getTimestamp(10)), optionalInstant(rs.getTimestamp(11)),
                            Optional.ofNullable(rs.getString(12)), Optional.ofNullable(rs.getString(13)),
                            Optional.ofNullable(rs.getString(14)), Optional.ofNullable(rs.getString(15))));
                }
                return result;
            }
        }
    }

    private static Instant instant(Timestamp t) {
        return t.toInstant();
    }

    private static Optional<Instant> optionalInstant(Timestamp t) {
        return Optional.ofNullable(t).map(Timestamp::toInstant);
    }

    private <T> T withConnection(String what, Sql.SqlWork<T> work) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            return work.run(c);
        } catch (SQLException e) {
            throw new TaskQueueException("could not " + what + ": " + e.getMessage(), e);
        }
    }
}
