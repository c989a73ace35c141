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
 * One page of a table by id from a cursor — newest first below it (lists, a history's latest rows)
 * or oldest first above it (a follower's next rows) — with only the filters asked for in its SQL.
 * An absent filter is left out of the statement rather than written {@code :x IS NULL OR …}:
 * a plan the server caches for that form could not use the filter's index, and would read the
 * history from one end until the page filled.
 *
 * <p>Every page is planned for its own values (the driver sends it as an unnamed statement). A
 * cached generic plan knows neither the cursor, nor the limit, nor which status or blueprint: at a
 * million leases it read the lease table from its newest end for a rare blueprint (800 ms) where
 * the plan made for the values reads that blueprint's resources' leases by index (0.9 ms).
 * Planning a page costs a fraction of a millisecond.
 */
final class IdPage {
    private final String select;
    private final List<String> conditions = new ArrayList<>();
    private final Map<String, Object> values = new LinkedHashMap<>();

    /** @param select {@code SELECT … FROM table}, whose {@code id} orders the page */
    IdPage(String select) {
        this.select = select;
    }

    /** Adds {@code condition}, which names {@code :name}, if {@code value} is present. */
    IdPage where(String condition, String name, Optional<?> value) {
        value.ifPresent(v -> {
            conditions.add(condition);
            values.put(name, v);
        });
        return this;
    }

    /** The rows below {@code beforeId}, newest first. */
    Query newestBelow(Handle h, long beforeId, int limit) {
        return query(h, "id < :cursor", "DESC", beforeId, limit);
    }

    /** The rows above {@code afterId}, oldest first. */
    Query oldestAbove(Handle h, long afterId, int limit) {
        return query(h, "id > :cursor", "ASC", afterId, limit);
    }

    private Query query(Handle h, String cursorCondition, String direction, long cursor, int limit) {
        StringBuilder sql = new StringBuilder(select).append(" WHERE ").append(cursorCondition);
        conditions.forEach(c -> sql.append(" AND ").append(c));
        sql.append(" ORDER BY id ").append(direction).append(" LIMIT :limit");
        Query query = h.createQuery(sql.toString()).bind("cursor", cursor).bind("limit", limit);
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
