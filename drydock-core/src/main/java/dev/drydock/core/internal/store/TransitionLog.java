package dev.drydock.core.internal.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.statement.SqlStatement;

/**
 * The log rows of a batch of lease transitions, for the one statement that makes them: each lease's
 * lines from the blueprint step, then the transition's own line, sent as two arrays and inserted
 * only for the leases that did move.
 */
final class TransitionLog {
    private final List<Long> leases = new ArrayList<>();
    private final List<String> messages = new ArrayList<>();

    void add(long leaseId, List<String> stepLines, String transitionLine) {
        for (String line : stepLines) {
            leases.add(leaseId);
            messages.add(line);
        }
        leases.add(leaseId);
        messages.add(transitionLine);
    }

    /**
     * The INSERT for a CTE of the statement: the rows of the leases in {@code moved} (a CTE with
     * columns {@code id} and {@code resource_id}), in the order they were added.
     */
    static String insertFor(String moved) {
        return "INSERT INTO dd_log (lease_id, resource_id, message) SELECT " + moved + ".id, " + moved + ".resource_id, m.message"
                + " FROM " + BatchArrays.unnest("logLeases::bigint", "logMessages::text") + " WITH ORDINALITY AS m(lease_id, message, n)"
                + " JOIN " + moved + " ON " + moved + ".id = m.lease_id ORDER BY m.n";
    }

    /** The values of {@link #insertFor}'s parameters, for a statement run with {@link NamedSql}. */
    void putInto(Map<String, Object> values) {
        values.put("logLeases", leases.toArray(Long[]::new));
        values.put("logMessages", messages.toArray(String[]::new));
    }

    <T extends SqlStatement<T>> T bindTo(T statement) {
        return statement.bind("logLeases", leases.toArray(Long[]::new)).bind("logMessages", messages.toArray(String[]::new));
    }
}
