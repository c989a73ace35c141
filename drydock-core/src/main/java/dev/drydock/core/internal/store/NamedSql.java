package dev.drydock.core.internal.store;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A statement with {@code :name} parameters, turned once into JDBC's positional form, for the batch
 * statements that {@link Jdbc} runs without Jdbi. A name may appear several times; {@code ::type}
 * is a cast, and quoted literals and identifiers are left alone. Immutable.
 */
final class NamedSql {
    private final String positional;
    private final List<String> names;

    private NamedSql(String positional, List<String> names) {
        this.positional = positional;
        this.names = List.copyOf(names);
    }

    static NamedSql of(String sql) {
        StringBuilder out = new StringBuilder(sql.length());
        List<String> names = new ArrayList<>();
        int i = 0;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (c == '\'' || c == '"') {
                int end = sql.indexOf(c, i + 1);
                if (end < 0) {
                    throw new IllegalArgumentException("unterminated " + c + " at " + i + " in: " + sql);
                }
                out.append(sql, i, end + 1);
                i = end + 1;
            } else if (c == ':' && i + 1 < sql.length() && sql.charAt(i + 1) == ':') {
                out.append("::");
                i += 2;
            } else if (c == ':' && i + 1 < sql.length() && Character.isJavaIdentifierStart(sql.charAt(i + 1))) {
                int end = i + 1;
                while (end < sql.length() && Character.isJavaIdentifierPart(sql.charAt(end))) {
                    end++;
                }
                names.add(sql.substring(i + 1, end));
                out.append('?');
                i = end;
            } else {
                out.append(c);
                i++;
            }
        }
        return new NamedSql(out.toString(), names);
    }

    String positional() {
        return positional;
    }

    /**
     * Sets every parameter from {@code values} by name: {@code Long[]} and {@code String[]} as
     * {@code bigint[]} and {@code text[]}, anything else as a plain value.
     */
    void set(PreparedStatement statement, Map<String, ?> values) throws SQLException {
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            if (!values.containsKey(name)) {
                throw new IllegalArgumentException("no value for :" + name);
            }
            Object value = values.get(name);
            switch (value) {
                case Long[] longs -> statement.setArray(i + 1, statement.getConnection().createArrayOf("bigint", longs));
                case String[] strings -> statement.setArray(i + 1, statement.getConnection().createArrayOf("text", strings));
                default -> statement.setObject(i + 1, value);
            }
        }
    }
}
