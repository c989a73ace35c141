package dev.drydock.taskqueue.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.taskqueue.TaskQueueSchema;
import dev.drydock.testing.PostgresExtension;
import dev.drydock.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The awake dispatcher's probe says whether a claim could bring anything, so a poll that finds
 * nothing skips the claim: it must see exactly what the claim would take (a due task of a claimable
 * kind whose key is free, or an expired run with attempts left), or tasks would wait until the
 * dispatcher fell asleep.
 */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClaimableProbeTest {
    private static final String[] PROBED = {"probe-a", "probe-b"};
    private TestDatabase db;

    @BeforeAll
    void migrate(TestDatabase db) {
        this.db = db;
        TaskQueueSchema.migrate(db.dataSource());
    }

    @BeforeEach
    void emptyQueue() throws SQLException {
        execute("DELETE FROM tq_task");
    }

    @Test
    void anEmptyQueueHasNothingToClaim() throws SQLException {
        assertThat(probe(PROBED)).isFalse();
    }

    @Test
    void aDueTaskOfAProbedKindIsClaimable() throws SQLException {
        insert("probe-b", "queued", "now()", null, "NULL");
        assertThat(probe(PROBED)).isTrue();
        assertThat(probe(new String[] {"probe-a"})).as("another kind is not probed").isFalse();
    }

    @Test
    void aTaskDueLaterIsNot() throws SQLException {
        insert("probe-a", "queued", "now() + interval '1 minute'", null, "NULL");
        assertThat(probe(PROBED)).isFalse();
    }

    @Test
    void aTaskWhoseKeyRunsIsNotUntilTheKeyIsFree() throws SQLException {
        long running = insert("probe-a", "running", "now()", "k1", "now() + interval '1 minute'");
        insert("probe-a", "queued", "now()", "k1", "NULL");
        assertThat(probe(PROBED)).isFalse();

        execute("DELETE FROM tq_task WHERE id = " + running);
        assertThat(probe(PROBED)).isTrue();
    }

    @Test
    void aRunWhoseLeaseExpiredIsClaimableWhileItHasAttemptsLeft() throws SQLException {
        long expired = insert("probe-a", "running", "now()", null, "now() - interval '1 second'");
        assertThat(probe(PROBED)).isTrue();

        execute("UPDATE tq_task SET attempt = max_attempts WHERE id = " + expired);
        assertThat(probe(PROBED)).as("out of attempts: the sweep archives it, no claim takes it").isFalse();

        execute("UPDATE tq_task SET attempt = 0, lease_expires_at = now() + interval '1 minute' WHERE id = " + expired);
        assertThat(probe(PROBED)).as("a live run").isFalse();
    }

    private long insert(String kind, String state, String runAfter, String serialKey, String leaseExpiresAt) throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("""
                INSERT INTO tq_task (kind, payload, state, run_after, attempt, max_attempts, backoff_ms, backoff_max_ms, serial_key,
                                     lease_expires_at)
                VALUES ('%s', '{}', '%s', %s, %d, 3, 100, 1000, %s, %s) RETURNING id"""
                .formatted(kind, state, runAfter, state.equals("running") ? 1 : 0, serialKey == null ? "NULL" : "'" + serialKey + "'",
                        leaseExpiresAt))) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private boolean probe(String[] kinds) throws SQLException {
        try (Connection c = db.connect(); PreparedStatement s = c.prepareStatement(QueueSql.CLAIMABLE.positional())) {
            QueueSql.CLAIMABLE.setArray(s, "kinds", c.createArrayOf("text", kinds));
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private void execute(String sql) throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
