package dev.drydock.core.internal.store;

import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * Runs a statement with JDBC on a handle's connection (inside its transaction, if it has one),
 * bypassing Jdbi's statement machinery, for the few statements that every lease runs.
 *
 * <p>Why: Jdbi binds each argument through a chain of factory lookups and builds a statement context
 * per statement. Profiles of the lease benchmark found that work costing more than the driver's own,
 * in the holder's request and release and in the taskmaster's batch statements (the figures are in
 * docs/benchmarks.md), so the batch's lookup, take and give-back run here too, with their
 * {@code :name} parameters ({@link NamedSql}).
 * Everything that does not run per lease or per batch stays on Jdbi.
 * Failures are thrown as Jdbi's {@link UnableToExecuteStatementException}, like the store's other
 * statements. The driver keeps the server-side prepared statement per connection, so preparing
 * per call costs nothing after the first few calls.
 */
final class Jdbc {
    private Jdbc() {}

    /** Sets a statement's parameters. */
    @FunctionalInterface
    interface Parameters {
        void set(PreparedStatement statement) throws SQLException;
    }

    /** Reads the current row of a result. */
    @FunctionalInterface
    interface Row<T> {
        T read(ResultSet row) throws SQLException;
    }

    /** An SQL array of {@code type} holding {@code value} of each item, in order (null elements allowed). */
    static <T> Array array(PreparedStatement statement, String type, List<T> items, Function<T, ?> value)
            throws SQLException {
        return statement.getConnection().createArrayOf(type, items.stream().map(value).toArray());
    }

    /** Every row of the query's result, read by {@code row}; its parameters set by name from {@code values}. */
    static <T> List<T> query(Handle h, NamedSql sql, Map<String, ?> values, Row<T> row) {
        return query(h, sql.positional(), statement -> sql.set(statement, values), row);
    }

    /** Every row of the query's result, read by {@code row}. */
    static <T> List<T> query(Handle h, String sql, Parameters parameters, Row<T> row) {
        try (PreparedStatement statement = h.getConnection().prepareStatement(sql)) {
            parameters.set(statement);
            List<T> rows = new ArrayList<>();
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    rows.add(row.read(result));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new UnableToExecuteStatementException(e.getMessage(), e, null);
        }
    }
}
