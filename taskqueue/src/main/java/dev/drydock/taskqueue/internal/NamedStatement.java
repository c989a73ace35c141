package dev.drydock.taskqueue.internal;

import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A statement written with {@code :name} parameters, turned once into JDBC's positional form, so
 * the hot statements the dispatcher prepares are bound by name: a parameter added to the text
 * cannot shift the others. A name may appear several times and is set at each place; {@code ::type}
 * is a cast; quoted literals and identifiers and {@code --} comments are left alone. Immutable.
 */
final class NamedStatement {
    private final String positional;
    private final Map<String, int[]> places;

    private NamedStatement(String positional, Map<String, int[]> places) {
        this.positional = positional;
        this.places = Map.copyOf(places);
    }

    static NamedStatement of(String sql) {
        StringBuilder out = new StringBuilder(sql.length());
        List<String> names = new ArrayList<>();
        int i = 0;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            int end;
            if (c == '\'' || c == '"') {
                end = sql.indexOf(c, i + 1) + 1;
                if (end == 0) {
                    throw new IllegalArgumentException("unterminated " + c + " at " + i + " in: " + sql);
                }
            } else if (sql.startsWith("--", i)) {
                end = sql.indexOf('\n', i);
                end = end < 0 ? sql.length() : end;
            } else if (sql.startsWith("::", i)) {
                end = i + 2;
            } else if (c == ':' && i + 1 < sql.length() && Character.isJavaIdentifierStart(sql.charAt(i + 1))) {
                end = i + 1;
                while (end < sql.length() && Character.isJavaIdentifierPart(sql.charAt(end))) {
                    end++;
                }
                names.add(sql.substring(i + 1, end));
                out.append('?');
                i = end;
                continue;
            } else {
                end = i + 1;
            }
            out.append(sql, i, end);
            i = end;
        }
        Map<String, List<Integer>> byName = new HashMap<>();
        for (int p = 0; p < names.size(); p++) {
            byName.computeIfAbsent(names.get(p), n -> new ArrayList<>()).add(p + 1);
        }
        Map<String, int[]> places = new HashMap<>();
        byName.forEach((name, at) -> places.put(name, at.stream().mapToInt(Integer::intValue).toArray()));
        return new NamedStatement(out.toString(), places);
    }

    /** The text to prepare, with {@code ?} for each parameter. */
    String positional() {
        return positional;
    }

    /** The names of the parameters. */
    java.util.Set<String> names() {
        return places.keySet();
    }

    void setArray(PreparedStatement s, String name, Array value) throws SQLException {
        for (int p : places(name)) {
            s.setArray(p, value);
        }
    }

    void setInt(PreparedStatement s, String name, int value) throws SQLException {
        for (int p : places(name)) {
            s.setInt(p, value);
        }
    }

    void setLong(PreparedStatement s, String name, long value) throws SQLException {
        for (int p : places(name)) {
            s.setLong(p, value);
        }
    }

    void setString(PreparedStatement s, String name, String value) throws SQLException {
        for (int p : places(name)) {
            s.setString(p, value);
        }
    }

    private int[] places(String name) {
        int[] at = places.get(name);
        if (at == null) {
            throw new IllegalArgumentException("no parameter :" + name + " in: " + positional);
        }
        return at;
    }
}
