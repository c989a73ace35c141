package dev.drydock.taskqueue.internal;

import java.util.Map;

/**
 * Every statement the queue runs, in one place so that their locking rules can be read together.
 *
 * <p>Rules they keep: a running task is only ever changed under its claim token ({@code claim_id}),
 * so a taskmaster that lost its lease cannot overwrite a newer attempt; a task leaves the hot table
 * in the same statement that archives it; a serialization key is taken by the claim's update to
 * 'running' (the unique index {@code tq_task_running_key}, migration V5) and freed by whatever
 * moves the task out of that state.
 */
public final class QueueSql {
    private QueueSql() {}

    /** Channel for wake-ups; the payload is the earliest due time in epoch milliseconds. */
    public static final String CHANNEL = "drydock_taskqueue";

    static final String ARCHIVE_COLUMNS =
            "id, kind, payload, priority, outcome, created_at, started_at, attempt, max_attempts, backoff_ms, backoff_max_ms, dedupe_key, serial_key, owner, last_error";

    /**
     * First key of the queue's advisory locks (the ASCII of "ddtq"); the second is one of
     * {@link #ENQUEUES_IN_FLIGHT} and {@link #SLEEPERS}.
     */
    static final int ADVISORY_CLASS = 0x64647471;
    /**
     * Held in shared mode by every enqueue that looked for sleeping taskmasters, from that look until
     * it commits: a taskmaster going to sleep waits (by retrying, never blocking) until it can take it
     * exclusively, and so until every enqueue that found nobody asleep has committed.
     */
    static final int ENQUEUES_IN_FLIGHT = 1;
    /** Held in shared mode, at session level, by each dispatcher that sleeps until notified. */
    static final int SLEEPERS = 2;

    /** The two keys of one of the queue's advisory locks, as SQL arguments. */
    private static String lock(int key) {
        return ADVISORY_CLASS + ", " + key;
    }

    /**
     * True when nobody holds the advisory lock {@code key} at this instant: a momentary exclusive
     * lock succeeds and is given back at once. Never waits.
     */
    private static String unheld(int key) {
        return "CASE WHEN pg_try_advisory_lock(" + lock(key) + ") THEN pg_advisory_unlock(" + lock(key) + ") ELSE false END";
    }

    /**
     * True when an enqueue must notify: some dispatcher sleeps, or may be about to. It takes
     * {@link #ENQUEUES_IN_FLIGHT} first, then probes {@link #SLEEPERS}; the probe also fails, rarely,
     * while another enqueue probes, and then it notifies needlessly, which is safe. Nested CASEs fix
     * the order; a sleeper that takes {@link #SLEEPERS} after the probe then waits for this enqueue's
     * commit before its last claim (see {@code Dispatcher}), so an enqueue that skips its
     * notification is always claimed.
     */
    private static final String SOMEONE_SLEEPS = "CASE WHEN pg_advisory_xact_lock_shared(" + lock(ENQUEUES_IN_FLIGHT)
            + ")::text = '' THEN NOT " + unheld(SLEEPERS) + " END";

    /**
     * The wake-up of an enqueue, over the rows it queued: the payload is their earliest due time in
     * epoch milliseconds. A task due now is announced only to sleeping dispatchers ({@link #SOMEONE_SLEEPS}):
     * a NOTIFY takes a database-wide lock at commit that serialises every notifying transaction, and
     * an awake dispatcher claims again within milliseconds anyway. A task due later is always
     * announced, so that a dispatcher that falls asleep before it is due knows when to wake. (Also in
     * {@code tq_enqueue}, migration V3.)
     */
    private static final String NOTIFY_EARLIEST_DUE = "CASE WHEN CASE WHEN min(run_after) > now() THEN true ELSE " + SOMEONE_SLEEPS
            + " END THEN pg_notify('" + CHANNEL + "', (extract(epoch FROM min(run_after)) * 1000)::bigint::text) END";

    /**
     * Whether every enqueue that may have skipped its notification before this dispatcher took
     * {@link #SLEEPERS} has committed: a claim that starts after this returned true sees their tasks.
     * Never waits.
     */
    static final String ENQUEUES_SETTLED = "SELECT " + unheld(ENQUEUES_IN_FLIGHT);

    /**
     * A dispatcher about to sleep: from now on every enqueue notifies (see {@link #SOMEONE_SLEEPS});
     * then {@link #ENQUEUES_SETTLED}, in the same round trip.
     */
    static final String SLEEP = "SELECT CASE WHEN pg_advisory_lock_shared(" + lock(SLEEPERS) + ")::text = '' THEN "
            + unheld(ENQUEUES_IN_FLIGHT) + " END";

    /** A sleeping dispatcher that found work: enqueues may skip their notifications again. */
    static final String AWAKE = "SELECT pg_advisory_unlock_shared(" + lock(SLEEPERS) + ")";

    /** A sleeping dispatcher's check that its session, and so its hold on {@link #SLEEPERS}, lives. */
    static final String SESSION_ALIVE = "SELECT true";

    /** What a dispatcher's connection must not keep when it goes back to the pool. */
    static final String RELEASE_SESSION_LOCKS = "SELECT pg_advisory_unlock_all()";

    /**
     * What an enqueue does when a task of the same kind and dedupe key is queued: the queued one
     * absorbs the new one, due at the earlier of their times, at the higher of their priorities
     * (also in {@code tq_enqueue}, migrations V2 and V3).
     */
    private static final String COALESCE_INTO_QUEUED_TWIN = """
            ON CONFLICT (kind, dedupe_key) WHERE state = 'queued' AND dedupe_key IS NOT NULL
            DO UPDATE SET run_after = LEAST(tq_task.run_after, EXCLUDED.run_after),
                          priority = GREATEST(tq_task.priority, EXCLUDED.priority)
            """;

    /**
     * Batch insert through arrays; a dedupe conflict coalesces into the queued task. Ids come back
     * by input position: each row gets a fresh id up front, and a row that coalesced is matched to
     * its twin by kind and dedupe key (unique within a batch, which the caller ensures).
     */
    static final String ENQUEUE = """
            WITH input AS (
              SELECT nextval(pg_get_serial_sequence('tq_task', 'id')) AS new_id, i.*
              FROM unnest(?::text[], ?::text[], ?::int[], ?::bigint[], ?::text[], ?::text[], ?::int[], ?::bigint[], ?::bigint[])
                WITH ORDINALITY AS i(kind, payload, priority, delay_ms, dedupe_key, serial_key, max_attempts, backoff_ms, backoff_max_ms, ord)
            ), ins AS (
              INSERT INTO tq_task (id, kind, payload, priority, state, run_after, max_attempts, backoff_ms, backoff_max_ms, dedupe_key, serial_key)
              SELECT new_id, kind, payload::json, priority, 'queued', now() + delay_ms * interval '1 millisecond',
                     max_attempts, backoff_ms, backoff_max_ms, dedupe_key, serial_key
              FROM input ORDER BY ord
            %s
              RETURNING id, kind, dedupe_key, run_after
            ), wake AS (
              SELECT %s AS sent FROM ins
            )
            SELECT COALESCE(fresh.id, twin.id)
            FROM input
            CROSS JOIN wake
            LEFT JOIN ins fresh ON fresh.id = input.new_id
            LEFT JOIN ins twin ON fresh.id IS NULL AND twin.kind = input.kind AND twin.dedupe_key = input.dedupe_key
            ORDER BY input.ord
            """.formatted(COALESCE_INTO_QUEUED_TWIN, NOTIFY_EARLIEST_DUE);

    /**
     * The enqueue of {@code SqlEnqueue#insertFrom}: one task per row of {@code source}, due at once,
     * priority 0; the expressions are the caller's SQL. With {@code coalesce}, a queued twin absorbs
     * the new task; without, it is a plain insert (no dedupe key, or one no queued task can have).
     * Returns each task's due time.
     */
    public static String insertFrom(String source, String kindLiteral, String payload, String dedupeKey, String serialKey,
                                     boolean coalesce, int maxAttempts, long backoffMs, long backoffMaxMs) {
        return "INSERT INTO tq_task (kind, payload, priority, state, run_after, max_attempts, backoff_ms, backoff_max_ms, dedupe_key, serial_key)\n"
                + "SELECT " + kindLiteral + ", (" + payload + ")::json, 0, 'queued', now(), " + maxAttempts + ", " + backoffMs + ", "
                + backoffMaxMs + ", " + dedupeKey + ", " + serialKey + " FROM " + source + "\n"
                + (coalesce ? COALESCE_INTO_QUEUED_TWIN : "")
                + "RETURNING run_after";
    }

    /** The wake-up of {@code SqlEnqueue#wakeFor}, as for every enqueue; none when nothing was queued or nobody sleeps. */
    public static String wakeFor(String inserted) {
        return "(SELECT " + NOTIFY_EARLIEST_DUE + " FROM " + inserted + " HAVING count(*) > 0)";
    }

    /**
     * One task (a plain insert plans far faster than the batch form, which matters for latency),
     * through the SQL function that applications may also call (migrations V2, V3).
     */
    static final String ENQUEUE_ONE = "SELECT tq_enqueue(?, ?::json, ?, ?, ?, ?, ?, ?, ?)";

    /**
     * Tasks {@code t} of the kinds {@code :kinds} whose taskmaster died (lease expired) with
     * attempts left.
     */
    private static final String EXPIRED =
            "t.state = 'running' AND t.lease_expires_at < now() AND t.attempt < t.max_attempts AND t.kind = ANY(:kinds::text[])";

    /** Tasks {@code t} of the kinds {@code :kinds} queued and due, whose serialization key no task runs under. */
    private static final String READY = "t.state = 'queued' AND t.run_after <= now() AND t.kind = ANY(:kinds::text[]) "
            + "AND (t.serial_key IS NULL OR NOT EXISTS (SELECT 1 FROM tq_task k WHERE k.serial_key = t.serial_key AND k.state = 'running'))";

    /** The first column of {@link #COMPLETE_AND_CLAIM}'s rows: true for a claim, false for a completion that matched. */
    static final int CLAIM_IS_CLAIM = 1;

    /**
     * The columns of {@link #COMPLETE_AND_CLAIM}'s rows after {@link #CLAIM_IS_CLAIM}: a claimed
     * task, or, for a completion, only its {@code claim_id} and in {@code keyed} whether a freed key
     * had tasks waiting behind it. A claim's rows come in no particular order: its {@code priority}
     * lets the dispatcher start them in the claim's order.
     */
    static final ResultColumns CLAIMED =
            ResultColumns.of("id, kind, payload, attempt, max_attempts, created_at, claim_id, backoff_ms, backoff_max_ms, keyed, priority");

    /**
     * Finishes the given successful runs (archived, except those of the kinds whose successes are
     * forgotten) and claims up to n new ones in one round trip (rows with
     * {@code true} first are claims; rows with {@code false} name the completions that matched, so
     * a success whose lease was taken over is known as lost, and say in their last column whether
     * a freed key had queued tasks waiting behind it): first tasks
     * whose taskmaster died (lease expired), then ready tasks by priority, at most one per
     * serialization key and never one whose key is running. A claim that races another for a key
     * (each picked a different task of it before either committed) takes the key only through
     * {@code tq_take_serial_key} (migration V6), so the loser skips that task instead of failing on
     * {@code tq_task_running_key}; the winner's completion wakes taskmasters when it frees the key.
     * Parameters: the successes' task ids {@code :doneIds} and claims {@code :doneClaims}, the kinds
     * whose successes are forgotten {@code :forgottenKinds}, the kinds to claim {@code :kinds}, at
     * most {@code :limit} runs, for taskmaster {@code :owner} with a lease of {@code :leaseMs}. Its
     * rows: {@link #CLAIM_IS_CLAIM}, then {@link #CLAIMED}.
     */
    static final NamedStatement COMPLETE_AND_CLAIM = NamedStatement.of("""
            WITH done AS (
              DELETE FROM tq_task WHERE id = ANY(:doneIds::bigint[]) AND claim_id = ANY(:doneClaims::bigint[]) AND state = 'running'
              RETURNING *
            ), archived AS (
              INSERT INTO tq_task_archive (%1$s)
              SELECT id, kind, payload, priority, 'succeeded', created_at, started_at, attempt, max_attempts,
                     backoff_ms, backoff_max_ms, dedupe_key, serial_key, owner, last_error
              FROM done WHERE kind <> ALL(:forgottenKinds::text[])
            ), wake_waiters AS (
              -- a freed key with queued tasks behind it: tell the other taskmasters, whose claims
              -- could not see the key free until this commits
              SELECT pg_notify('%2$s', '0') FROM tq_task q
              WHERE q.state = 'queued' AND q.serial_key = ANY(ARRAY(SELECT serial_key FROM done WHERE serial_key IS NOT NULL))
              LIMIT 1
            ), expired AS (
              SELECT id, serial_key, 0 AS src, priority, run_after FROM tq_task t
              WHERE %3$s AND id <> ALL(:doneIds::bigint[])
              ORDER BY lease_expires_at
              LIMIT :limit FOR UPDATE SKIP LOCKED
            ), ready AS (
              SELECT id, serial_key, 1 AS src, priority, run_after FROM tq_task t
              WHERE %4$s
              ORDER BY priority DESC, run_after, id
              LIMIT :limit FOR UPDATE SKIP LOCKED
            ), pick AS (
              SELECT * FROM (SELECT * FROM expired UNION ALL SELECT * FROM ready) u
              ORDER BY src, priority DESC, run_after, id
              LIMIT :limit
            ), first_of_key AS (
              SELECT id FROM (
                SELECT DISTINCT ON (serial_key) id, serial_key FROM pick WHERE serial_key IS NOT NULL
                ORDER BY serial_key, src, priority DESC, run_after, id
              ) f
              WHERE tq_take_serial_key(id, serial_key)
            ), claimed AS (
              UPDATE tq_task t
                 SET state = 'running', owner = :owner, claim_id = nextval('tq_claim_seq'), attempt = t.attempt + 1,
                     started_at = now(), lease_expires_at = now() + :leaseMs * interval '1 millisecond'
               WHERE t.id = ANY(ARRAY(SELECT id FROM pick WHERE serial_key IS NULL UNION ALL SELECT id FROM first_of_key))
              RETURNING t.id, t.kind, t.payload::text, t.attempt, t.max_attempts, t.created_at, t.claim_id,
                        t.backoff_ms, t.backoff_max_ms, t.serial_key IS NOT NULL AS keyed, t.priority
            )
            SELECT true, %5$s FROM claimed
            UNION ALL
            SELECT false, %6$s
            FROM done CROSS JOIN (SELECT count(*) FROM wake_waiters) w
            """.formatted(ARCHIVE_COLUMNS, CHANNEL, EXPIRED, READY, CLAIMED.list(),
            CLAIMED.select(Map.of("claim_id", "claim_id", "keyed", "w.count > 0"), "NULL")));

    /**
     * Whether a claim of the kinds {@code ?::text[]} (ready ones first, then expired ones) could
     * bring anything now, without locking: an index probe that costs a small part of {@link
     * #COMPLETE_AND_CLAIM}. An awake dispatcher polls every few milliseconds and most polls find
     * nothing, since under load its batch kinds are held back while their batches run. A task
     * being claimed elsewhere still counts, so the claim that follows may bring less.
     */
    static final NamedStatement CLAIMABLE = NamedStatement.of("SELECT EXISTS (SELECT 1 FROM tq_task t WHERE " + READY
            + ") OR EXISTS (SELECT 1 FROM tq_task t WHERE " + EXPIRED + ")");

    /** Archives one running task with an outcome and error, freeing its key. */
    static final String ARCHIVE_RUNNING = """
            WITH d AS (
              DELETE FROM tq_task WHERE id = ? AND claim_id = ? AND state = 'running' RETURNING *
            )
            INSERT INTO tq_task_archive (%1$s)
            SELECT id, kind, payload, priority, ?, created_at, started_at, attempt, max_attempts,
                   backoff_ms, backoff_max_ms, dedupe_key, serial_key, owner, ? FROM d
            """.formatted(ARCHIVE_COLUMNS);

    /** Locks a running task under its claim, for requeueing it. */
    static final String LOCK_RUNNING = """
            SELECT dedupe_key, priority, kind FROM tq_task WHERE id = ? AND claim_id = ? AND state = 'running' FOR UPDATE
            """;

    /** The queued twin (same dedupe key) that a requeued task coalesces into, if any. */
    static final String MERGE_INTO_QUEUED_TWIN = """
            UPDATE tq_task SET run_after = LEAST(run_after, now() + ? * interval '1 millisecond'), priority = GREATEST(priority, ?)
            WHERE kind = ? AND dedupe_key = ? AND state = 'queued'
            RETURNING id
            """;

    /**
     * Puts a running task back in the queue; {@code attempt} drops by the given refund. Answers
     * 'requeued' with the due time, 'lost', or 'twin' when a queued twin with its dedupe key appeared
     * (migration V6: the unique violation is caught in the function, so the server logs no ERROR).
     */
    static final String REQUEUE = "SELECT outcome, due FROM tq_requeue(?, ?, ?, ?, ?)";

    static final String NOTIFY = "SELECT pg_notify('" + CHANNEL + "', ?)";

    /** Extends the lease of this taskmaster's runs that it still holds. */
    static final String HEARTBEAT = """
            UPDATE tq_task SET lease_expires_at = now() + ? * interval '1 millisecond'
            WHERE state = 'running' AND owner = ? AND claim_id = ANY(?::bigint[])
            """;

    static final String REGISTER = """
            INSERT INTO tq_taskmaster (id, host, pid, threads, kinds, lease_ms) VALUES (?, ?, ?, ?, ?::text[], ?)
            ON CONFLICT (id) DO UPDATE SET heartbeat_at = now(), kinds = EXCLUDED.kinds
            """;

    static final String REGISTRY_HEARTBEAT = "UPDATE tq_taskmaster SET heartbeat_at = now() WHERE id = ?";

    static final String UNREGISTER = "DELETE FROM tq_taskmaster WHERE id = ?";

    /** Tasks whose taskmaster died on their last allowed attempt: archived as failed. */
    static final String SWEEP_EXHAUSTED = """
            WITH d AS (
              DELETE FROM tq_task WHERE state = 'running' AND lease_expires_at < now() AND attempt >= max_attempts
              RETURNING *
            )
            INSERT INTO tq_task_archive (%1$s)
            SELECT id, kind, payload, priority, 'failed', created_at, started_at, attempt, max_attempts,
                   backoff_ms, backoff_max_ms, dedupe_key, serial_key, owner,
                   'its taskmaster ' || owner || ' stopped heartbeating during attempt ' || attempt || ' of ' || max_attempts
                   || ' (crashed or lost the database); no attempts left'
            FROM d
            """.formatted(ARCHIVE_COLUMNS);

    /** Forgets taskmasters that missed three leases' worth of heartbeats. */
    static final String SWEEP_TASKMASTERS =
            "DELETE FROM tq_taskmaster WHERE heartbeat_at < now() - 3 * lease_ms * interval '1 millisecond'";

    /** Kinds with ready tasks that no live taskmaster handles, with their count and oldest due time. */
    static final String UNHANDLED_KINDS = """
            SELECT kind, count(*), min(run_after) FROM tq_task t
            WHERE state = 'queued' AND run_after <= now()
              AND NOT EXISTS (SELECT 1 FROM tq_taskmaster m WHERE t.kind = ANY(m.kinds)
                              AND m.heartbeat_at > now() - m.lease_ms * interval '1 millisecond')
            GROUP BY kind
            """;
}
