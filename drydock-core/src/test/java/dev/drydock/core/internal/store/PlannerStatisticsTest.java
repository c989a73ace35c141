package dev.drydock.core.internal.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.core.Drydock;
import dev.drydock.testing.LeakCheck;
import dev.drydock.testing.PostgresExtension;
import dev.drydock.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * ANALYZE (autovacuum's included) keeps the statistics the engine's statements are planned with,
 * and skips the columns that no statement filters on, whose sorting made it cost four times as much
 * (migration V4).
 */
@ExtendWith({PostgresExtension.class, LeakCheck.class})
class PlannerStatisticsTest {

    @Test
    void analyzeGathersStatisticsOnlyOnTheColumnsStatementsFilterOn(TestDatabase db) throws SQLException {
        Drydock.builder(db.dataSource()).build().close();
        execute(db, """
                INSERT INTO dd_lease (owner_token, resource_type, attributes, allowed_blueprints, status, status_reason, resource_id,
                                      lease_attributes, ttl_ms, acquire_deadline, waits, released_from)
                SELECT md5(i::text), 'stats-' || (i % 3), jsonb_build_object('k', i), ARRAY['b' || i], 'DESTROYED', 'reason ' || i, NULL,
                       jsonb_build_object('dir', '/tmp/' || i), i, now(), i % 2, 'ACTIVE'
                FROM generate_series(1, 500) i;
                INSERT INTO dd_log (lease_id, message) SELECT i, 'message ' || i FROM generate_series(1, 500) i;
                ANALYZE dd_lease, dd_log""");

        assertThat(analyzed(db, "dd_lease"))
                .contains("id", "status", "resource_type", "resource_id", "acquire_deadline", "waits")
                .doesNotContain("owner_token", "attributes", "allowed_blueprints", "status_reason", "lease_attributes", "ttl_ms",
                        "created_at", "released_at", "updated_at", "version", "released_from");
        assertThat(analyzed(db, "dd_log"))
                .contains("id", "lease_id")
                .doesNotContain("message", "at");
    }

    private static Set<String> analyzed(TestDatabase db, String table) throws SQLException {
        Set<String> columns = new HashSet<>();
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT attname FROM pg_stats WHERE schemaname = current_schema() AND tablename = '" + table + "'")) {
            while (rs.next()) {
                columns.add(rs.getString(1));
            }
        }
        return columns;
    }

    private static void execute(TestDatabase db, String sql) throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
