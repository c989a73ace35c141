package dev.drydock.core.internal.store;

import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Collectors;

/**
 * One table's column list as the stores select it ({@code "id, attributes::text, …"}), and the
 * one place a row mapper learns where each column sits: {@link #at} by name and {@link #width} for
 * what follows. A column added anywhere in the list moves every position derived from it, so a
 * mapper cannot silently read its neighbour; a name the list lacks fails when the store's class
 * loads. Positions are resolved once, so reading a row costs what reading by a literal index does.
 * Immutable.
 */
final class Columns {
    private final String list;
    private final List<String> labels;

    private Columns(String list) {
        this.list = list;
        this.labels = Arrays.stream(list.split(",")).map(Columns::label).toList();
    }

    /** The columns of {@code list}, comma-separated as they go into a SELECT. */
    static Columns of(String list) {
        return new Columns(list);
    }

    /** The list as it goes into a SELECT. */
    String list() {
        return list;
    }

    /** How many columns the list selects. */
    int width() {
        return labels.size();
    }

    /** The result's column labels, in order ({@code attributes::text} is labelled {@code attributes}). */
    List<String> labels() {
        return labels;
    }

    /**
     * The offset of column {@code name} from the first column of the list (0 for the first), to be
     * added to where the list starts in a result.
     */
    int at(String name) {
        int offset = labels.indexOf(name);
        if (offset < 0) {
            throw new IllegalArgumentException("no column " + name + " in: " + list);
        }
        return offset;
    }

    /** The list qualified with a table alias: {@code "a, b::text"} as {@code "x.a, x.b::text"}. */
    String qualified(String alias) {
        return Arrays.stream(list.split(",")).map(String::strip).map(c -> alias + "." + c).collect(Collectors.joining(", "));
    }

    /** {@code prefix1, prefix2, …}, one name per column: names for the list as a CTE's columns. */
    String numbered(String prefix) {
        return IntStream.rangeClosed(1, width()).mapToObj(i -> prefix + i).collect(Collectors.joining(", "));
    }

    private static String label(String column) {
        String name = column.strip();
        int cast = name.indexOf("::");
        return cast < 0 ? name : name.substring(0, cast);
    }
}
