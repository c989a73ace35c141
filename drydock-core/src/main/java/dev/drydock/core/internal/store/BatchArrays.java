package dev.drydock.core.internal.store;

/**
 * How the batch statements take an array parameter that they unnest: {@code (SELECT :name::type[])}.
 *
 * <p>Why the subquery: PostgreSQL's plan cache plans a prepared statement for its parameter values
 * (a custom plan) until a plan made without them (the generic plan) costs no more than the custom
 * ones did on average. {@code unnest(:ids)} tells a custom plan how long the array is and the generic
 * plan nothing, so the generic plan looked costlier and every batch was planned anew; planning cost
 * more than running (the clean-up's statement: 0.5–0.8 ms to plan, 0.15 ms to run). Behind a
 * subquery the length is unknown to both plans, their costs match, and after the first few
 * executions the cached generic plan runs.
 */
final class BatchArrays {
    private BatchArrays() {}

    /** {@code unnest} of the named array parameters, each behind a subquery. */
    static String unnest(String... namedTypes) {
        StringBuilder sql = new StringBuilder("unnest(");
        for (int i = 0; i < namedTypes.length; i++) {
            sql.append(i == 0 ? "" : ", ").append(behindSubquery(namedTypes[i]));
        }
        return sql.append(')').toString();
    }

    /**
     * {@code = ANY} of the named array parameter behind a subquery, for a filter such as
     * {@code l.id = ANY((SELECT :ids::bigint[])::bigint[])} (without the cast, {@code ANY} would
     * read the subquery's rows instead of the array it returns). The lookup of a batch filtered on
     * {@code = ANY(:ids)}: each connection planned it for its first few batches' lengths, and where
     * those custom plans looked cheaper than the generic one it kept planning every batch (a quarter
     * of the calls in the benchmark's window, 1.9 ms each).
     */
    static String anyOf(String name, String elementType) {
        String type = elementType + "[]";
        return "ANY((SELECT :" + name + "::" + type + ")::" + type + ")";
    }

    private static String behindSubquery(String namedType) {
        return "(SELECT :" + namedType + "[])";
    }
}
