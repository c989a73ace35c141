package dev.drydock.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drydock.api.DatabaseFailureException;
import dev.drydock.testing.LeakCheck;
import dev.drydock.testing.PostgresExtension;
import dev.drydock.testing.TestDatabase;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A database that answers but refuses what Drydock asks (here: its tables were never created) gives
 * a plain sentence that says what to do, with no SQL and no library names; the driver's report
 * stays in the cause for logs.
 */
@ExtendWith({PostgresExtension.class, LeakCheck.class})
class DatabaseFailureTest {

    @Test
    void aDatabaseWithoutDrydocksTablesSaysToMigrateWithoutQuotingSql(TestDatabase db) {
        try (Drydock drydock = Drydock.builder(db.dataSource()).migrate(false).build()) {
            assertThatThrownBy(() -> drydock.leases(Optional.empty(), 10))
                    .isInstanceOf(DatabaseFailureException.class)
                    .hasMessageStartingWith("could not list leases: the tables are not what this version of Drydock expects")
                    .hasMessageContaining("drydock-control migrate")
                    .satisfies(e -> {
                        assertThat(((DatabaseFailureException) e).sqlState()).isEqualTo("42P01");
                        assertThat(e.getMessage()).doesNotContain("SELECT", "dd_lease", "org.jdbi", "Exception");
                        assertThat(e.getCause()).isNotNull();
                    });
        }
    }
}
