-- Two things the queue expected to happen and handled, but too late or too loudly.
--
-- 1. Presence. A killed taskmaster's tasks used to wait for their leases (30 s by default) to run
-- out. Its database sessions end the moment its process dies, so each taskmaster now holds a
-- session-level advisory lock (class 1684305010, the ASCII of 'ddtp', and its presence_key) on a
-- long-lived connection, and records when it last took it (present_since). Live taskmasters look
-- for registered ones whose lock is gone (see Presence in the Java code) and expire their tasks'
-- leases at once. Rows written by older versions have no presence_key and are never judged this way.
CREATE SEQUENCE tq_presence_seq AS integer CYCLE;
ALTER TABLE tq_taskmaster ADD COLUMN presence_key integer, ADD COLUMN present_since timestamptz;

-- 2. Races that raised server ERRORs. PostgreSQL logs every statement that fails, so a race the
-- queue expects and recovers from must not fail a statement.
--
-- Claims: two claims that each picked a different queued task of one serialization key used to
-- race on tq_task_running_key; the loser waited for the winner's commit, then failed. A claim now
-- takes a task of a key only through this function: a transaction-level advisory lock on the key
-- (the bigint form, a 64-bit hash of the key seeded with 1684305011, 'ddts'; never waits), then, with
-- the statement snapshot of a volatile function (taken after the lock, so it sees every claim that
-- held the lock before), no other running task of the key. A claim that cannot take the key skips
-- that task this time; the running one's completion wakes taskmasters when it frees the key.
CREATE FUNCTION tq_take_serial_key(p_task bigint, p_key text) RETURNS boolean
LANGUAGE plpgsql VOLATILE
AS $$
BEGIN
    IF NOT pg_try_advisory_xact_lock(hashtextextended(p_key, 1684305011)) THEN
        RETURN false;
    END IF;
    RETURN NOT EXISTS (SELECT 1 FROM tq_task WHERE serial_key = p_key AND state = 'running' AND id <> p_task);
END
$$;

-- Requeues: a running task put back in the queue (retry, yield, hand-back) while a queued twin
-- with its dedupe key was being enqueued used to fail on tq_task_dedupe. This puts a running task
-- back under its claim and says what happened: 'requeued' (with its due time), 'lost' (no longer
-- ours: its lease was taken over), or 'twin' (a queued twin exists now: the caller coalesces into
-- it). The violation is caught inside the function, where the server does not log it.
CREATE FUNCTION tq_requeue(p_task bigint, p_claim bigint, p_delay_ms bigint, p_refund integer, p_error text,
                           OUT outcome text, OUT due timestamptz)
LANGUAGE plpgsql VOLATILE
AS $$
BEGIN
    UPDATE tq_task SET state = 'queued', run_after = now() + p_delay_ms * interval '1 millisecond', attempt = attempt - p_refund,
           owner = NULL, claim_id = NULL, started_at = NULL, lease_expires_at = NULL,
           last_error = COALESCE(p_error, last_error)
     WHERE id = p_task AND claim_id = p_claim AND state = 'running'
    RETURNING run_after INTO due;
    outcome := CASE WHEN FOUND THEN 'requeued' ELSE 'lost' END;
EXCEPTION WHEN unique_violation THEN
    outcome := 'twin';
    due := NULL;
END
$$;
