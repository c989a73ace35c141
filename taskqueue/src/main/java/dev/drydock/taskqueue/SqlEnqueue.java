package dev.drydock.taskqueue;

import dev.drydock.taskqueue.internal.QueueSql;
import java.util.Objects;

/**
 * The SQL of an enqueue written into the caller's own statement, for an application that inserts or
 * updates its row and queues the task that processes it in one statement: one round trip, no
 * explicit transaction, and, unlike a call of the {@code tq_enqueue} SQL function, no PL/pgSQL call
 * per row. It does what {@link TaskQueue#enqueue(TaskSpec)} does: a task with the same kind and
 * dedupe key already queued absorbs the new one (its run time moves forward to the earlier of the
 * two), and the taskmasters are woken when the statement's transaction commits.
 *
 * <p>The expressions are SQL over the columns of the caller's source rows and are written into the
 * statement as given: pass only text the application wrote, never input. One task is queued per
 * source row. Use:
 *
 * <pre>{@code
 * SqlEnqueue task = SqlEnqueue.of("order-placed", "json_build_object('order', o.id)")
 *         .dedupeKey("'order:' || o.id").serialKey("'order:' || o.id");
 * String sql = "WITH o AS (INSERT INTO orders ... RETURNING id), "
 *         + "q AS (" + task.insertFrom("o") + ") "
 *         + "SELECT o.id, " + SqlEnqueue.wakeFor("q") + " FROM o";
 * }</pre>
 *
 * <p>{@link #insertFrom} must be a CTE of its own (PostgreSQL runs every data-modifying CTE), and
 * {@link #wakeFor} must appear in the statement's result, since a CTE that only reads runs only when
 * read. Immutable.
 *
 * @param kind the task kind
 * @param payloadExpression a {@code json} (or {@code jsonb}, or text holding JSON) expression
 * @param dedupeKeyExpression a text expression, or empty for no dedupe
 * @param dedupeKeyIsNew whether no queued task can have the dedupe key yet (see {@link #newDedupeKey})
 * @param serialKeyExpression a text expression, or empty for no serialization
 * @param retryPolicy the attempts and backoff of the queued task
 */
public record SqlEnqueue(String kind, String payloadExpression, String dedupeKeyExpression, boolean dedupeKeyIsNew,
                         String serialKeyExpression, RetryPolicy retryPolicy) {
    public SqlEnqueue {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(payloadExpression, "payloadExpression");
        Objects.requireNonNull(dedupeKeyExpression, "dedupeKeyExpression");
        Objects.requireNonNull(serialKeyExpression, "serialKeyExpression");
        Objects.requireNonNull(retryPolicy, "retryPolicy");
        if (kind.isBlank() || kind.length() > TaskSpec.MAX_KIND_LENGTH) {
            throw new IllegalArgumentException("task kind must be 1 to " + TaskSpec.MAX_KIND_LENGTH + " non-blank characters, was '" + kind + "'");
        }
        if (payloadExpression.isBlank()) {
            throw new IllegalArgumentException("payloadExpression must be an SQL expression, e.g. json_build_object('id', o.id)");
        }
    }

    /** A task of {@code kind} with the given payload, no dedupe or serialization key, and the default retry policy. */
    public static SqlEnqueue of(String kind, String payloadExpression) {
        return new SqlEnqueue(kind, payloadExpression, "", false, "", RetryPolicy.DEFAULT);
    }

    public SqlEnqueue dedupeKey(String expression) {
        return new SqlEnqueue(kind, payloadExpression, expression, false, serialKeyExpression, retryPolicy);
    }

    /**
     * A dedupe key that no queued task can have yet, such as one naming a row the same statement
     * inserts: the task is inserted without looking for a queued twin to absorb it (a plain
     * {@code INSERT}, cheaper than the {@code INSERT ... ON CONFLICT} of {@link #dedupeKey}). Later
     * enqueues with the key coalesce into it as usual. Should a queued twin exist after all, the
     * statement fails with a unique violation and changes nothing.
     */
    public SqlEnqueue newDedupeKey(String expression) {
        return new SqlEnqueue(kind, payloadExpression, expression, true, serialKeyExpression, retryPolicy);
    }

    public SqlEnqueue serialKey(String expression) {
        return new SqlEnqueue(kind, payloadExpression, dedupeKeyExpression, dedupeKeyIsNew, expression, retryPolicy);
    }

    public SqlEnqueue retryPolicy(RetryPolicy policy) {
        return new SqlEnqueue(kind, payloadExpression, dedupeKeyExpression, dedupeKeyIsNew, serialKeyExpression, policy);
    }

    /**
     * The body of a CTE that queues one task per row of {@code source} (a CTE or table name, whose
     * columns the expressions use), due at once, and returns each task's due time.
     */
    public String insertFrom(String source) {
        return QueueSql.insertFrom(source, literal(kind), payloadExpression, orNull(dedupeKeyExpression), orNull(serialKeyExpression),
                !dedupeKeyExpression.isBlank() && !dedupeKeyIsNew,
                retryPolicy.maxAttempts(), retryPolicy.initialBackoff().toMillis(), retryPolicy.maxBackoff().toMillis());
    }

    /**
     * A scalar expression that wakes the taskmasters for the tasks the CTE {@code inserted} (an
     * {@link #insertFrom}) queued, when the transaction commits; {@code NULL} when it queued none.
     */
    public static String wakeFor(String inserted) {
        return QueueSql.wakeFor(inserted);
    }

    private static String orNull(String expression) {
        return expression.isBlank() ? "NULL" : expression;
    }

    private static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }
}
