-- Enqueue from SQL: lets an application insert its own row and the task that processes it in one
-- statement (one round trip, no explicit transaction), e.g.
--   WITH o AS (INSERT INTO orders ... RETURNING id)
--   SELECT o.id, tq_enqueue('order-placed', json_build_object('order', o.id), 0, 0, 10, 200, 30000, NULL, NULL) FROM o;
-- The Java enqueue of a single task calls it too, so there is one definition of what enqueueing does:
-- insert (or, for a queued task with the same kind and dedupe key, pull its run time forward and raise
-- its priority) and wake taskmasters with the due time. Returns the task's id.
CREATE FUNCTION tq_enqueue(p_kind text, p_payload json, p_priority integer, p_delay_ms bigint, p_max_attempts integer,
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
    PERFORM pg_notify('drydock_taskqueue', (extract(epoch FROM v_due) * 1000)::bigint::text);
    RETURN v_id;
END
$$;
