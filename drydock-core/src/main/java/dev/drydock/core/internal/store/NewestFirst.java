package dev.drydock.core.internal.store;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.statement.StatementCustomizer;
import org.postgresql.PGStatement;

/**
 * One page of a table, newest first by id below a cursor, with only the filters asked for in its
 * SQL. An absent filter is left out of the statement rather than written {@code :x IS NULL OR …}:
 * a plan the server caches for that form could not use the filter's index, and would read the
 * history from its newest row until the page filled.
 *
 * <p>Every page is planned for its own values (the driver sends it as an unnamed statement). A
 * cached generic plan knows neither the cursor, nor the limit, nor which status or blueprint: at a
 * million leases it read the lease table from its newest end for a rare blueprint (800 ms) where
 * the plan made for the values reads that blueprint's resources' leases by index (0.9 ms).
 * Planning a page costs a fraction of a millisecond.
 */
final class NewestFirst {
    private final String select;
    private final List<String> conditions = new ArrayList<>();
    private final Map<String, Object> values = new LinkedHashMap<>();

    /** @param select {@code SELECT … FROM table}, whose {@code id} orders the page */
    NewestFirst(String select) {
        this.select = select;
    }

    /** Adds {@code condition}, which names {@code :name}, if {@code value} is present. */
    NewestFirst where(String condition, String name, Optional<?> value) {
        value.ifPresent(v -> {
            conditions.add(condition);
            values.put(name, v);
        });
        return this;
    }

    Query query(Handle h, long beforeId, int limit) {
        StringBuilder sql = new StringBuilder(select).append(" WHERE id < :before");
        conditions.forEach(c -> sql.append(" AND ").append(c));
        Query query = h.createQuery(sql.append(" ORDER BY id DESC LIMIT :limit").toString()).bind("before", beforeId).bind("limit", limit);
        values.forEach(query::bind);
        return query.addCustomizer(new StatementCustomizer() {
            @Override
            public void beforeExecution(PreparedStatement statement, StatementContext ctx) throws SQLException {
                if (statement.isWrapperFor(PGStatement.class)) {
                    statement.unwrap(PGStatement.class).setPrepareThreshold(0); // 0: never a named, cached statement
                }
            }
        });
    }
}
