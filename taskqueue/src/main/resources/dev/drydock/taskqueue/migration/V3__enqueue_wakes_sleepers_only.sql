-- tq_enqueue (V2) as before, except for its wake-up: a task due now is announced only while some
-- taskmaster sleeps. A NOTIFY takes a database-wide lock at commit that serialises every notifying
-- transaction, and an awake taskmaster claims again within milliseconds without one.
--
-- The handshake, shared with the Java enqueues (QueueSql) and the dispatcher, on advisory locks
-- (1684305009, the ASCII of 'ddtq', with a second key):
--   key 1: taken in shared mode by each enqueue before it looks for sleepers, held until it commits;
--   key 2: held in shared mode, at session level, by each dispatcher that sleeps until notified.
-- An enqueue notifies unless a momentary exclusive lock on key 2 succeeds (nobody sleeps). A dispatcher
-- about to sleep takes key 2, then retries an exclusive lock on key 1 until it gets it (every enqueue
-- that saw nobody asleep has committed), and claims once more before it sleeps.
CREATE OR REPLACE FUNCTION tq_enqueue(p_kind text, p_payload json, p_priority integer, p_delay_ms bigint, p_max_attempts integer,
                                      p_backoff_ms bigint, p_backoff_max_ms bigint, p_dedupe_key text, p_serial_key text)
RETURNS bigint
-- plpgsql, not sql: its statements' plans are kept for the session, as a prepared statement's are
LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
    v_id  bigint;
    v_due timestamptz;
BEGIN
    INSERT INTO tq_task (kind, payload, priority, state, run_after, max_attempts, backoff_ms, backoff_max_ms, dedupe_key, serial_key)
    VALUES (p_kind, p_payload, p_priority, 'queued', now() + p_delay_ms * interval '1 millisecond', p_max_attempts,
            p_backoff_ms, p_backoff_max_ms, p_dedupe_key, p_serial_key)
    ON CONFLICT (kind, dedupe_key) WHERE state = 'queued' AND dedupe_key IS NOT NULL
    DO UPDATE SET run_after = LEAST(tq_task.run_after, EXCLUDED.run_after),
                  priority = GREATEST(tq_task.priority, EXCLUDED.priority)
    RETURNING id, run_after INTO v_id, v_due;
    IF v_due <= now() THEN
        PERFORM pg_advisory_xact_lock_shared(1684305009, 1);
        IF pg_try_advisory_lock(1684305009, 2) THEN
            PERFORM pg_advisory_unlock(1684305009, 2);
            RETURN v_id; -- nobody sleeps: every taskmaster claims again before it does
        END IF;
    END IF;
    PERFORM pg_notify('drydock_taskqueue', (extract(epoch FROM v_due) * 1000)::bigint::text);
    RETURN v_id;
END
$$;
