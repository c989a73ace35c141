package dev.drydock.taskqueue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.testing.Migrations;
import dev.drydock.testing.PostgresExtension;
import dev.drydock.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The one-query check that lets a start against a current schema skip Flyway. */
@ExtendWith(PostgresExtension.class)
class SchemaHistoryTest {
    @Test
    void versionConstantIsTheNewestMigration() {
        assertThat(TaskQueueSchema.VERSION).isEqualTo(Migrations.newestVersion("dev/drydock/taskqueue/migration"));
    }

    @Test
    void currentOnlyAfterMigratingAndNotAfterAFailedOrNewerMigration(TestDatabase db) throws SQLException {
        try (Connection c = db.dataSource().getConnection()) {
            assertThat(TaskQueueSchema.isCurrent(c)).as("no history table yet").isFalse();
            TaskQueueSchema.migrate(db.dataSource());
            assertThat(TaskQueueSchema.isCurrent(c)).isTrue();
            TaskQueueSchema.migrate(db.dataSource()); // the fast path: nothing to do, no failure
            assertThat(SchemaHistory.isAt(c, "tq_schema_history", "4")).as("an older version").isFalse();
            try (Statement s = c.createStatement()) {
                s.execute("insert into tq_schema_history (installed_rank, version, description, type, script, checksum, installed_by,"
                        + " execution_time, success) select max(installed_rank) + 1, '6', 'failed', 'SQL', 'V6__x.sql', 0, 'test', 0, false"
                        + " from tq_schema_history");
            }
            assertThat(TaskQueueSchema.isCurrent(c)).as("a newer, failed migration is last").isFalse();
        }
    }
}
