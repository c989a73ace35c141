package dev.drydock.core.internal.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drydock.core.Drydock;
import dev.drydock.testing.LeakCheck;
import dev.drydock.testing.PostgresExtension;
import dev.drydock.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The database refuses values no code path may store, whichever statement writes them: the column
 * rules that moved from table CHECK constraints to domains still hold, on insert and on update.
 */
@ExtendWith({PostgresExtension.class, LeakCheck.class})
@LeakCheck.Allowed(value = LeakCheck.Leak.UNFINISHED_LEASES, reason = "writes a lease row directly to see which values the schema refuses")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SchemaRulesTest {
    private TestDatabase db;

    @BeforeAll
    void migrate(TestDatabase db) {
        this.db = db;
        Drydock.builder(db.dataSource()).build().close();
    }

    @Test
    void statusesOutsideTheStateMachinesAreRefused() throws SQLException {
        execute("INSERT INTO dd_lease (owner_token, resource_type, status, status_reason, acquire_deadline)"
                + " VALUES ('t', 'rules', 'PENDING', 'ok', now())");
        assertRefused("INSERT INTO dd_lease (owner_token, resource_type, status, status_reason, acquire_deadline)"
                + " VALUES ('t', 'rules', 'WAITING', 'no such status', now())", "dd_lease_status_check");
        assertRefused("UPDATE dd_lease SET status = 'pending' WHERE resource_type = 'rules'", "dd_lease_status_check");
        assertRefused("UPDATE dd_lease SET released_from = 'GONE' WHERE resource_type = 'rules'", "dd_lease_status_check");

        execute("INSERT INTO dd_blueprint (name, type, resource_type, config, resource_limit) VALUES ('rules', 'x', 'rules', '{}', 1)");
        assertRefused("INSERT INTO dd_resource (blueprint_id, resource_type, status, status_reason, capacity)"
                + " SELECT id, 'rules', 'ACQUIRED', 'a lease status, not a resource one', 1 FROM dd_blueprint WHERE name = 'rules'",
                "dd_resource_status_check");
    }

    @Test
    void slotLocksAreFoundByTheirOwnerThroughAnIndexNotAScan() {
        // what a lease's clean-up, a resource's destroy and the owners' foreign keys look slot locks up by
        for (String owner : List.of("owner_lease_id", "owner_resource_id")) {
            String plan = Jdbi.create(db.dataSource()).inTransaction(h -> {
                h.execute("SET LOCAL enable_seqscan = off");
                return String.join("\n", h.createQuery("EXPLAIN DELETE FROM dd_slot_lock WHERE " + owner + " = 42").mapTo(String.class).list());
            });
            assertThat(plan).as(owner).contains("Index").doesNotContain("Seq Scan");
        }
    }

    @Test
    void theQueuesColumnRulesHold() throws SQLException {
        String insert = "INSERT INTO tq_task (kind, payload, state, max_attempts, backoff_ms, backoff_max_ms) VALUES ('rules', '{}', ";
        execute(insert + "'queued', 1, 0, 0)");
        assertRefused(insert + "'done', 1, 0, 0)", "tq_task_state_check");
        assertRefused(insert + "'queued', 0, 0, 0)", "tq_max_attempts_check");
        assertRefused(insert + "'queued', 1, -1, 0)", "tq_millis_check");
        assertRefused(insert + "'queued', 1, 0, -5)", "tq_millis_check");
        assertRefused("UPDATE tq_task SET state = 'paused' WHERE kind = 'rules'", "tq_task_state_check");
        assertRefused("INSERT INTO tq_task_archive (id, kind, payload, priority, outcome, created_at, attempt, max_attempts, backoff_ms,"
                + " backoff_max_ms) VALUES (-1, 'rules', '{}', 0, 'lost', now(), 1, 1, 0, 0)", "tq_task_outcome_check");
        assertThat(db.queryLong("SELECT count(*) FROM tq_task WHERE kind = 'rules'")).isEqualTo(1);
    }

    private void assertRefused(String sql, String rule) {
        assertThatThrownBy(() -> execute(sql)).as(sql).isInstanceOf(SQLException.class).hasMessageContaining(rule);
    }

    private void execute(String sql) throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
