package dev.drydock.core.internal.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.api.LeaseStatus;
import dev.drydock.api.ResourceStatus;
import dev.drydock.core.Census;
import dev.drydock.core.Drydock;
import dev.drydock.testing.PostgresExtension;
import dev.drydock.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The census that {@code /metrics} reads at every scrape never reads the history: with 20,000
 * destroyed leases and 2,000 destroyed resources beside a few live ones, each of its statements is
 * planned on partial indexes and reads no lease or resource table from end to end, and it counts
 * the live rows right.
 */
@ExtendWith(PostgresExtension.class)
class CensusStoreTest {
    @Test
    void itCountsTheLiveRowsThroughIndexesAtALongHistory(TestDatabase db) throws SQLException {
        Drydock.migrate(db.dataSource());
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO dd_blueprint (name, type, resource_type, config, resource_limit, resource_count)"
                    + " VALUES ('pool', 'local-host', 'host', '{}', 5, 3)");
            s.execute("INSERT INTO dd_resource (blueprint_id, resource_type, status, status_reason, capacity)"
                    + " SELECT b.id, 'host', CASE WHEN g <= 2000 THEN 'DESTROYED' WHEN g <= 2002 THEN 'ACTIVE' ELSE 'BROKEN' END, 'test', 4"
                    + " FROM dd_blueprint b, generate_series(1, 2003) g");
            s.execute("INSERT INTO dd_lease (owner_token, resource_type, status, status_reason, acquire_deadline)"
                    + " SELECT 't', 'host', CASE WHEN g <= 20000 THEN 'DESTROYED' WHEN g <= 20003 THEN 'ACTIVE' WHEN g <= 20005 THEN 'PENDING'"
                    + " ELSE 'RELEASED' END, 'test', now() + interval '1 hour' FROM generate_series(1, 20006) g");
            s.execute("ANALYZE dd_lease");
            s.execute("ANALYZE dd_resource");
            for (String sql : List.of(CensusStore.LEASES, CensusStore.RESOURCES)) {
                String plan = plan(s, sql);
                assertThat(plan).as(plan).doesNotContain("Seq Scan on dd_lease").doesNotContain("Seq Scan on dd_resource")
                        .contains("Index");
            }
        }

        try (Drydock drydock = Drydock.builder(db.dataSource()).migrate(false).build()) {
            Census census = drydock.census();
            assertThat(census.leases()).containsEntry(LeaseStatus.ACTIVE, 3L).containsEntry(LeaseStatus.PENDING, 2L)
                    .containsEntry(LeaseStatus.RELEASED, 1L).containsEntry(LeaseStatus.ACQUIRED, 0L).containsEntry(LeaseStatus.BROKEN, 0L)
                    .doesNotContainKey(LeaseStatus.DESTROYED);
            Census.BlueprintCount pool = census.blueprints().getFirst();
            assertThat(pool.name()).isEqualTo("pool");
            assertThat(pool.limit()).isEqualTo(5);
            assertThat(pool.resources()).containsEntry(ResourceStatus.ACTIVE, 2L).containsEntry(ResourceStatus.BROKEN, 1L)
                    .containsEntry(ResourceStatus.PENDING, 0L).doesNotContainKey(ResourceStatus.DESTROYED);
        }
    }

    private static String plan(Statement s, String sql) throws SQLException {
        List<String> lines = new ArrayList<>();
        try (ResultSet rs = s.executeQuery("EXPLAIN " + sql)) {
            while (rs.next()) {
                lines.add(rs.getString(1));
            }
        }
        return String.join("\n", lines);
    }
}
