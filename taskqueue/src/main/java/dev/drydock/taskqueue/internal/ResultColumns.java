package dev.drydock.taskqueue.internal;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The columns a statement returns, named once, so the code that reads a row finds each column by
 * its name's place in this list ({@link #at}), never by a counted index: a column added to the
 * list moves every place after it. Places are resolved once; reading a row costs what reading by
 * a literal index does. Immutable.
 */
record ResultColumns(List<String> names) {
    ResultColumns {
        names = List.copyOf(names);
    }

    static ResultColumns of(String list) {
        return new ResultColumns(Arrays.stream(list.split(",")).map(String::strip).toList());
    }

    /** The list as it goes into a SELECT. */
    String list() {
        return String.join(", ", names);
    }

    /** The list with each column's expression in {@code given} or, for the others, {@code otherwise}. */
    String select(Map<String, String> given, String otherwise) {
        return names.stream().map(n -> given.getOrDefault(n, otherwise)).collect(Collectors.joining(", "));
    }

    int width() {
        return names.size();
    }

    /** The offset of column {@code name} from the list's first column (0 for the first). */
    int at(String name) {
        int offset = names.indexOf(name);
        if (offset < 0) {
            throw new IllegalArgumentException("no column " + name + " in: " + list());
        }
        return offset;
    }
}
