package dev.drydock.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drydock.taskqueue.SchemaHistory;
import dev.drydock.testing.Migrations;
import dev.drydock.testing.PostgresExtension;
import dev.drydock.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link Drydock#migrate} skips Flyway only when both history tables are at the versions this build carries. */
@ExtendWith(PostgresExtension.class)
class SchemaVersionTest {
    @Test
    void flywayIsAskedOnlyWhenTheNewestMigrationIsNotRecordedAsDone(TestDatabase db) throws SQLException {
        assertThat(Drydock.SCHEMA_VERSION).as("the newest migration file").isEqualTo(Migrations.newestVersion("dev/drydock/core/migration"));
        Drydock.migrate(db.dataSource());
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            // Flyway would refuse a changed checksum; a current schema is not checked again, so this passes
            s.execute("update dd_schema_history set checksum = checksum + 1 where version = '" + Drydock.SCHEMA_VERSION + "'");
            Drydock.migrate(db.dataSource());
            // recorded as failed: not current, so Flyway runs, and refuses the failed migration
            s.execute("update dd_schema_history set success = false where version = '" + Drydock.SCHEMA_VERSION + "'");
            assertThat(SchemaHistory.isAt(c, "dd_schema_history", Drydock.SCHEMA_VERSION)).isFalse();
            assertThatThrownBy(() -> Drydock.migrate(db.dataSource())).isInstanceOf(dev.drydock.api.DrydockException.class);
        }
    }
}
