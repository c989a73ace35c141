package dev.drydock.core.internal.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drydock.testing.LeakCheck;
import dev.drydock.testing.PostgresExtension;
import dev.drydock.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Named parameters turned into JDBC's positional ones, and bound by name on a real server. */
@ExtendWith({PostgresExtension.class, LeakCheck.class})
class NamedSqlTest {
    @Test
    void namesBecomePositionsWhileCastsAndQuotedTextStayAsTheyAre() {
        NamedSql sql = NamedSql.of("SELECT :ids::bigint[], ':not_a_name', \"odd:name\", x::text FROM t WHERE a = :ids AND b = :b");

        assertThat(sql.positional()).isEqualTo("SELECT ?::bigint[], ':not_a_name', \"odd:name\", x::text FROM t WHERE a = ? AND b = ?");
    }

    @Test
    void valuesAreSetByNameWithArraysAsArrays(TestDatabase db) throws Exception {
        NamedSql sql = NamedSql.of("SELECT array_length(:ids::bigint[], 1), (:names::text[])[2], :n::int + :n::int, ':ids'");

        try (Connection c = db.connect(); PreparedStatement s = c.prepareStatement(sql.positional())) {
            sql.set(s, Map.of("ids", new Long[] {4L, 5L, 6L}, "names", new String[] {"a", "b"}, "n", 20));
            try (ResultSet rs = s.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(3);
                assertThat(rs.getString(2)).isEqualTo("b");
                assertThat(rs.getInt(3)).isEqualTo(40);
                assertThat(rs.getString(4)).isEqualTo(":ids");
            }
        }
    }

    @Test
    void aMissingValueIsNamed(TestDatabase db) throws Exception {
        NamedSql sql = NamedSql.of("SELECT :present::int, :absent::int");

        try (Connection c = db.connect(); PreparedStatement s = c.prepareStatement(sql.positional())) {
            assertThatThrownBy(() -> sql.set(s, Map.of("present", 1))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("no value for :absent");
        }
    }
}
