package dev.drydock.taskqueue.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.taskqueue.TaskQueueSchema;
import dev.drydock.testing.PostgresExtension;
import dev.drydock.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The guard against the dispatcher reading or binding the wrong place of its claim: the database's
 * description of the prepared statement has exactly the columns the dispatcher reads, where it reads
 * them, and every parameter is one the dispatcher binds by name.
 */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClaimStatementColumnsTest {
    private TestDatabase db;

    @BeforeAll
    void migrate(TestDatabase db) {
        this.db = db;
        TaskQueueSchema.migrate(db.dataSource());
    }

    @Test
    void theClaimReturnsTheColumnsTheDispatcherReadsWhereItReadsThem() throws SQLException {
        try (Connection c = db.connect(); PreparedStatement s = c.prepareStatement(QueueSql.COMPLETE_AND_CLAIM.positional())) {
            ResultSetMetaData meta = s.getMetaData();
            List<String> labels = new ArrayList<>();
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                labels.add(meta.getColumnLabel(i));
            }
            assertThat(labels).hasSize(QueueSql.CLAIM_IS_CLAIM + QueueSql.CLAIMED.width());
            assertThat(labels.subList(QueueSql.CLAIM_IS_CLAIM, labels.size())).isEqualTo(QueueSql.CLAIMED.names());
            assertThat(meta.getColumnTypeName(QueueSql.CLAIM_IS_CLAIM)).isEqualTo("bool");
        }
    }

    @Test
    void everyParameterOfTheClaimAndTheProbeIsBoundByName() throws SQLException {
        assertThat(QueueSql.COMPLETE_AND_CLAIM.names())
                .containsExactlyInAnyOrder("doneIds", "doneClaims", "forgottenKinds", "kinds", "limit", "owner", "leaseMs");
        assertThat(QueueSql.CLAIMABLE.names()).containsExactly("kinds");
        try (Connection c = db.connect(); PreparedStatement s = c.prepareStatement(QueueSql.COMPLETE_AND_CLAIM.positional())) {
            long places = QueueSql.COMPLETE_AND_CLAIM.positional().chars().filter(ch -> ch == '?').count();
            assertThat(s.getParameterMetaData().getParameterCount()).as("each parameter the server sees is a named one").isEqualTo(places);
        }
    }

    @Test
    void aNameIsSetAtEachOfItsPlacesAndCommentsAndLiteralsAreLeftAlone() {
        NamedStatement sql = NamedStatement.of("""
                SELECT ':not' AS "x:y", :a::int -- it's :b here
                 WHERE :a > 0""");
        assertThat(sql.positional()).isEqualTo("""
                SELECT ':not' AS "x:y", ?::int -- it's :b here
                 WHERE ? > 0""");
        assertThat(sql.names()).containsExactly("a");
    }
}
