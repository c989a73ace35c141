package dev.drydock.taskqueue.internal;

/**
 * The statements of {@link Presence}: how a taskmaster shows it lives, and how the others find one
 * whose process died (its session, and so its presence lock, ended without a shutdown).
 */
final class PresenceSql {
    private PresenceSql() {}

    /**
     * First key of the presence locks (the ASCII of "ddtp"), a class of its own so that no
     * presence key can meet the keys of {@link QueueSql}'s locks; the second is the taskmaster's
     * {@code presence_key} (migration V6).
     */
    static final int PRESENCE_CLASS = 0x64647470;

    static final String NEW_KEY = "SELECT nextval('tq_presence_seq')::integer";

    /** Takes the presence lock at session level; false when another session holds that key. Never waits. */
    static final String TAKE = "SELECT pg_try_advisory_lock(" + PRESENCE_CLASS + ", ?)";

    static final String RELEASE = "SELECT pg_advisory_unlock(" + PRESENCE_CLASS + ", ?)";

    /**
     * Registers the taskmaster with its key and when it took it, or records them in its row (which
     * the dispatcher's registration, {@link QueueSql#REGISTER}, leaves alone). Parameters: id, host,
     * pid, threads, kinds, lease in ms, key.
     */
    static final String RECORD = """
            INSERT INTO tq_taskmaster (id, host, pid, threads, kinds, lease_ms, presence_key, present_since)
            VALUES (?, ?, ?, ?, ?::text[], ?, ?, now())
            ON CONFLICT (id) DO UPDATE SET presence_key = EXCLUDED.presence_key, present_since = EXCLUDED.present_since
            """;

    /**
     * Taskmasters {@code m} that took their presence lock since the server started and whose lock
     * nobody holds now: their session ended. One that took it before a restart is not judged until
     * it takes it again (every session ended then, the living ones' too); an older version's row has
     * no key and is never judged.
     */
    private static final String GONE = """
            m.presence_key IS NOT NULL AND m.present_since >= pg_postmaster_start_time()
            AND NOT EXISTS (SELECT 1 FROM pg_locks l
                            WHERE l.locktype = 'advisory' AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
                              AND l.classid = %d AND l.objid = m.presence_key::oid AND l.objsubid = 2 AND l.granted)
            """.formatted(PRESENCE_CLASS);

    /**
     * Other taskmasters that look gone ({@code false}, id), and this one ({@code true}, id) if its
     * row is missing or lacks this presence: another taskmaster judged it gone, or the sweep forgot
     * it after missed heartbeats. Parameters: own id, own id, own id, own key.
     */
    static final String LOOK = "SELECT false, m.id FROM tq_taskmaster m WHERE m.id <> ? AND " + GONE
            + " UNION ALL SELECT true, ?::text WHERE NOT EXISTS (SELECT 1 FROM tq_taskmaster WHERE id = ? AND presence_key = ?)";

    /**
     * Forgets the taskmasters {@code ?::text[]} that are still gone, and expires the leases of their
     * running tasks at once, so that the next claim anywhere takes them as it takes any expired
     * task. Rows: each forgotten taskmaster and how many of its tasks it freed.
     */
    static final String FORGET = """
            WITH dead AS (
              DELETE FROM tq_taskmaster m WHERE m.id = ANY(?::text[]) AND %s
              RETURNING m.id
            ), freed AS (
              UPDATE tq_task t SET lease_expires_at = LEAST(t.lease_expires_at, now())
              WHERE t.state = 'running' AND t.owner IN (SELECT id FROM dead)
              RETURNING t.owner
            )
            SELECT d.id, count(f.owner) FROM dead d LEFT JOIN freed f ON f.owner = d.id GROUP BY d.id
            """.formatted(GONE);
}
