package dev.drydock.core.internal.store;

import java.util.Arrays;
import java.util.stream.Collectors;

/** Column lists qualified with a table alias, for the statements that join our tables. */
final class Columns {
    private Columns() {}

    /** {@code "a, b::text"} as {@code "x.a, x.b::text"}. */
    static String of(String alias, String columns) {
        return Arrays.stream(columns.split(",")).map(String::strip).map(c -> alias + "." + c).collect(Collectors.joining(", "));
    }
}
