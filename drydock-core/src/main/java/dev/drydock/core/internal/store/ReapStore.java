package dev.drydock.core.internal.store;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;

/**
 * The reapers' bookkeeping (migration V10): the objects seen orphaned and waiting for their second
 * pass ({@code dd_reap_candidate}), and each blueprint's count of objects reaped and latest listing
 * error ({@code dd_reaper}). The two-pass rule is judged here, on the database's clock.
 */
public final class ReapStore {
    private ReapStore() {}

    /** An object seen orphaned, since when, and whether that is at least one interval ago. */
    public record Seen(String objectId, Instant firstSeenAt, boolean due) {}

    /**
     * Records this pass's orphans of blueprint {@code blueprintId} (object id to the resource its
     * tag names) and forgets every other candidate of the blueprint: the ones listed with a live row
     * and the ones not listed. Answers, for each orphan, whether it was a candidate already, first
     * seen {@code interval} or longer ago (a new one is not).
     */
    public static List<Seen> recordPass(Handle h, long blueprintId, Map<String, Long> orphans, Duration interval) {
        String[] objects = orphans.keySet().toArray(String[]::new);
        Long[] resources = orphans.keySet().stream().map(orphans::get).toArray(Long[]::new);
        h.createUpdate("DELETE FROM dd_reap_candidate WHERE blueprint_id = :b AND NOT (object_id = ANY(:objects))")
                .bind("b", blueprintId).bind("objects", objects).execute();
        if (objects.length == 0) {
            return List.of();
        }
        return h.createQuery("""
                        INSERT INTO dd_reap_candidate (blueprint_id, object_id, resource_id)
                        SELECT :b, o, r FROM unnest(:objects::text[], :resources::bigint[]) AS t(o, r)
                        ON CONFLICT (blueprint_id, object_id) DO UPDATE SET resource_id = excluded.resource_id
                        RETURNING object_id, first_seen_at, first_seen_at <= now() - :ms * interval '1 millisecond'""")
                .bind("b", blueprintId).bind("objects", objects).bind("resources", resources).bind("ms", interval.toMillis())
                .map((rs, ctx) -> new Seen(rs.getString(1), rs.getTimestamp(2).toInstant(), rs.getBoolean(3))).list();
    }

    /** Notes the end of a pass, and why it could not list (some of) the objects, if it could not: a sentence for people. */
    public static void passed(Handle h, long blueprintId, Optional<String> listError) {
        h.createUpdate("""
                        INSERT INTO dd_reaper (blueprint_id, list_error, passed_at) VALUES (:b, :e, now())
                        ON CONFLICT (blueprint_id) DO UPDATE SET list_error = excluded.list_error, passed_at = excluded.passed_at""")
                .bind("b", blueprintId).bind("e", listError.orElse(null)).execute();
    }

    /** An object destroyed: no longer a candidate, and counted. */
    public static void reaped(Handle h, long blueprintId, String objectId) {
        h.createUpdate("DELETE FROM dd_reap_candidate WHERE blueprint_id = :b AND object_id = :o")
                .bind("b", blueprintId).bind("o", objectId).execute();
        h.createUpdate("""
                        INSERT INTO dd_reaper (blueprint_id, reaped) VALUES (:b, 1)
                        ON CONFLICT (blueprint_id) DO UPDATE SET reaped = dd_reaper.reaped + 1""")
                .bind("b", blueprintId).execute();
    }

    /** A destroy that threw: the candidate stays, with one failure more and the error, to be tried next pass. */
    public static void destroyFailed(Handle h, long blueprintId, String objectId, String error) {
        h.createUpdate("""
                        UPDATE dd_reap_candidate SET failures = failures + 1, last_error = :e
                        WHERE blueprint_id = :b AND object_id = :o""")
                .bind("b", blueprintId).bind("o", objectId).bind("e", error).execute();
    }

    /**
     * Forgets a blueprint's candidates and listing error, for one whose reaper no longer runs (deleted,
     * or its configuration offers none). Its count stays.
     */
    public static void forget(Handle h, long blueprintId) {
        h.createUpdate("DELETE FROM dd_reap_candidate WHERE blueprint_id = :b").bind("b", blueprintId).execute();
        h.createUpdate("UPDATE dd_reaper SET list_error = NULL WHERE blueprint_id = :b AND list_error IS NOT NULL").bind("b", blueprintId).execute();
    }

    /** The rows of the resources with these ids, by id; an id without a row is not in it. */
    public static Map<Long, ResourceRow> resources(Handle h, Collection<Long> ids) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        Map<Long, ResourceRow> found = new java.util.HashMap<>();
        h.createQuery("SELECT " + ResourceStore.COLUMNS.list() + " FROM dd_resource WHERE id = ANY(:ids)")
                .bind("ids", Set.copyOf(ids).toArray(Long[]::new)).map(ResourceStore::map).forEach(r -> found.put(r.id(), r));
        return found;
    }

    /**
     * One resource for each configuration version of blueprint {@code blueprintId} other than
     * {@code currentVersion} that a resource not yet destroyed, or destroyed within {@code recent},
     * was built with: a pass lists with those configurations too. Each part reads one partial index
     * (dd_resource_live, dd_resource_ending, dd_resource_destroyed), never the blueprint's history.
     */
    public static List<ResourceRow> builtWithOtherConfigs(Handle h, long blueprintId, int currentVersion, Duration recent) {
        String columns = ResourceStore.COLUMNS.list();
        return h.createQuery("SELECT DISTINCT ON (config_version) " + columns + " FROM ("
                        + "SELECT " + columns + " FROM dd_resource WHERE blueprint_id = :b AND status IN ('PENDING', 'ACTIVE')"
                        + " UNION ALL SELECT " + columns + " FROM dd_resource WHERE blueprint_id = :b AND status IN ('RELEASED', 'BROKEN')"
                        + " UNION ALL SELECT " + columns + " FROM dd_resource WHERE blueprint_id = :b AND status = 'DESTROYED'"
                        + " AND updated_at > now() - :ms * interval '1 millisecond') r"
                        + " WHERE config_version IS NOT NULL AND config_version <> :current ORDER BY config_version, id")
                .bind("b", blueprintId).bind("current", currentVersion).bind("ms", recent.toMillis())
                .map(ResourceStore::map).list();
    }

    /** A blueprint's reaper as {@code status} shows it. */
    public record Summary(String blueprint, long reaped, long waiting, long failing, Optional<String> listError,
                          Optional<String> failingDestroy) {}

    /**
     * Each blueprint (not deleted) whose reaper has run, by name. Reads {@code dd_reaper}, a row per
     * blueprint, and the candidates, which are only the objects orphaned now.
     */
    public static List<Summary> summaries(Handle h) {
        return h.createQuery("""
                        SELECT b.name, r.reaped, r.list_error,
                               (SELECT count(*) FROM dd_reap_candidate c WHERE c.blueprint_id = r.blueprint_id),
                               (SELECT count(*) FROM dd_reap_candidate c WHERE c.blueprint_id = r.blueprint_id AND c.failures > 0),
                               (SELECT c.object_id || ': ' || c.last_error FROM dd_reap_candidate c
                                 WHERE c.blueprint_id = r.blueprint_id AND c.failures > 0 ORDER BY c.failures DESC, c.object_id LIMIT 1)
                          FROM dd_reaper r JOIN dd_blueprint b ON b.id = r.blueprint_id
                         WHERE b.deleted_at IS NULL ORDER BY b.name""")
                .map((rs, ctx) -> new Summary(rs.getString(1), rs.getLong(2), rs.getLong(4), rs.getLong(5),
                        Optional.ofNullable(rs.getString(3)), Optional.ofNullable(rs.getString(6))))
                .list();
    }
}
