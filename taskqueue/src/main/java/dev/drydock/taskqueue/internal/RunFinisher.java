package dev.drydock.taskqueue.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;

/**
 * Ends runs other than plain success, one at a time, each in its own transaction on the given
 * connection: archive as failed, or put back in the queue (after a yield, a retryable failure, or
 * a hand-back at shutdown). Every change is guarded by the claim token, so a run that lost its
 * lease changes nothing and is reported as {@link Result#LOST}.
 */
final class RunFinisher {
    enum Result { DONE, LOST }

    private RunFinisher() {}

    static Result archive(Connection connection, long id, long claimId, String outcome, String error) throws SQLException {
        int rows = Sql.inTransaction(connection, c -> Sql.update(c, QueueSql.ARCHIVE_RUNNING, id, claimId, outcome, error));
        return rows == 1 ? Result.DONE : Result.LOST;
    }

    /**
     * Puts a run back in the queue to run after {@code delay}. If a queued task with the same dedupe
     * key was enqueued meanwhile, this one coalesces into it (it is archived as cancelled, naming its
     * twin) so that the key still has one queued task. A twin that appears while this runs is found
     * on the next look, without a failed statement (see {@link QueueSql#REQUEUE}).
     *
     * @param refund 1 to give the attempt back (yield, hand-back), 0 to count it (failure)
     */
    static Result requeue(Connection connection, long id, long claimId, Duration delay, int refund, String error) throws SQLException {
        long delayMs = delay.toMillis();
        return Sql.inTransaction(connection, c -> {
            for (int look = 1; ; look++) {
                String dedupeKey;
                int priority;
                String kind;
                try (PreparedStatement lock = c.prepareStatement(QueueSql.LOCK_RUNNING)) {
                    Sql.bind(lock, id, claimId);
                    try (ResultSet rs = lock.executeQuery()) {
                        if (!rs.next()) {
                            return Result.LOST;
                        }
                        dedupeKey = rs.getString(1);
                        priority = rs.getInt(2);
                        kind = rs.getString(3);
                    }
                }
                if (dedupeKey != null && coalesceIntoTwin(c, id, claimId, delayMs, priority, kind, dedupeKey, error)) {
                    return Result.DONE;
                }
                try (PreparedStatement requeue = c.prepareStatement(QueueSql.REQUEUE)) {
                    Sql.bind(requeue, id, claimId, delayMs, refund, error);
                    try (ResultSet rs = requeue.executeQuery()) {
                        rs.next();
                        switch (rs.getString(1)) {
                            case "requeued" -> {
                                notifyDue(c, rs.getTimestamp(2).getTime());
                                return Result.DONE;
                            }
                            case "lost" -> {
                                return Result.LOST;
                            }
                            default -> {
                                // a twin was enqueued since our look: the next look coalesces into it,
                                // unless a taskmaster claimed it meanwhile, again and again
                                if (look == 3) {
                                    throw new SQLException("task " + id + " could not be requeued: its dedupe key's queued twin "
                                            + "kept changing; the taskmaster tries again on its next pass");
                                }
                            }
                        }
                    }
                }
            }
        });
    }

    /** Archives the run as cancelled if a queued twin with its dedupe key absorbs it; false when there is none. */
    private static boolean coalesceIntoTwin(Connection c, long id, long claimId, long delayMs, int priority, String kind,
                                            String dedupeKey, String error) throws SQLException {
        try (PreparedStatement merge = c.prepareStatement(QueueSql.MERGE_INTO_QUEUED_TWIN)) {
            Sql.bind(merge, delayMs, priority, kind, dedupeKey);
            try (ResultSet rs = merge.executeQuery()) {
                if (!rs.next()) {
                    return false;
                }
                long twin = rs.getLong(1);
                Sql.update(c, QueueSql.ARCHIVE_RUNNING, id, claimId, "cancelled",
                        "coalesced into queued task " + twin + " with the same dedupe key" + (error == null ? "" : "; last error: " + error));
                wake(c, delayMs);
                return true;
            }
        }
    }

    private static void wake(Connection connection, long delayMs) throws SQLException {
        notifyDue(connection, System.currentTimeMillis() + delayMs);
    }

    static void notifyDue(Connection connection, long dueEpochMillis) throws SQLException {
        try (PreparedStatement notify = connection.prepareStatement(QueueSql.NOTIFY)) {
            notify.setString(1, Long.toString(dueEpochMillis));
            notify.execute();
        }
    }
}
