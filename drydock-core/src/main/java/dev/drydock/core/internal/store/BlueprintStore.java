package dev.drydock.core.internal.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** Stored blueprints and their resource-limit reservations. */
public final class BlueprintStore {
    static final Columns COLUMNS = Columns.of("id, name, type, resource_type, config::text, config_version, resource_limit, resource_count, enabled, placement, gang_hold_lease_id, gang_hold_places, gang_hold_builds");
    private static final int ID = COLUMNS.at("id");
    private static final int NAME = COLUMNS.at("name");
    private static final int TYPE = COLUMNS.at("type");
    private static final int RESOURCE_TYPE = COLUMNS.at("resource_type");
    private static final int CONFIG = COLUMNS.at("config");
    private static final int CONFIG_VERSION = COLUMNS.at("config_version");
    private static final int RESOURCE_LIMIT = COLUMNS.at("resource_limit");
    private static final int RESOURCE_COUNT = COLUMNS.at("resource_count");
    private static final int ENABLED = COLUMNS.at("enabled");
    private static final int PLACEMENT = COLUMNS.at("placement");
    private static final int GANG_HOLD_ID = COLUMNS.at("gang_hold_lease_id");
    private static final int GANG_HOLD_PLACES = COLUMNS.at("gang_hold_places");
    private static final int GANG_HOLD_BUILDS = COLUMNS.at("gang_hold_builds");

    private BlueprintStore() {}

    public static long insert(Handle h, String name, String type, String resourceType, String config, int limit, String placement) {
        long id = h.createQuery("""
                        INSERT INTO dd_blueprint (name, type, resource_type, config, resource_limit, placement)
                        VALUES (:name, :type, :rt, :config::jsonb, :limit, :placement) RETURNING id""")
                .bind("name", name).bind("type", type).bind("rt", resourceType).bind("config", config).bind("limit", limit)
                .bind("placement", placement).mapTo(Long.class).one();
        EventLog.blueprint(h, id, "blueprint " + name + " created (type " + type + ", limit " + limit + ", placement " + placement + ")");
        return id;
    }

    public static Optional<BlueprintRow> byName(Handle h, String name) {
        if (unstorable(name)) {
            return Optional.empty();
        }
        return h.createQuery("SELECT " + COLUMNS.list() + " FROM dd_blueprint WHERE name = :n AND deleted_at IS NULL").bind("n", name).map(BlueprintStore::map).findOne();
    }

    /** A name with a NUL names no blueprint: the database cannot hold one, and refuses it as a parameter. */
    private static boolean unstorable(String name) {
        return name.indexOf('\0') >= 0;
    }

    /** The ids of every blueprint ever named {@code name}, deleted ones too: their resources and leases still name them. */
    public static Long[] idsNamed(Handle h, String name) {
        if (unstorable(name)) {
            return new Long[0];
        }
        return h.createQuery("SELECT id FROM dd_blueprint WHERE name = :n").bind("n", name).mapTo(Long.class).list().toArray(Long[]::new);
    }

    public static Optional<BlueprintRow> byId(Handle h, long id) {
        return h.createQuery("SELECT " + COLUMNS.list() + " FROM dd_blueprint WHERE id = :id").bind("id", id).map(BlueprintStore::map).findOne();
    }

    /** A blueprint that is not deleted. */
    public static Optional<BlueprintRow> liveById(Handle h, long id) {
        return h.createQuery("SELECT " + COLUMNS.list() + " FROM dd_blueprint WHERE id = :id AND deleted_at IS NULL").bind("id", id)
                .map(BlueprintStore::map).findOne();
    }

    /** The blueprints not deleted, by name. */
    public static List<BlueprintRow> all(Handle h) {
        return h.createQuery("SELECT " + COLUMNS.list() + " FROM dd_blueprint WHERE deleted_at IS NULL ORDER BY name").map(BlueprintStore::map).list();
    }

    /** Every blueprint's name by id, deleted ones too: their destroyed resources still name them. */
    public static java.util.Map<Long, String> names(Handle h) {
        java.util.Map<Long, String> names = new java.util.HashMap<>();
        h.createQuery("SELECT id, name FROM dd_blueprint").map((rs, ctx) -> java.util.Map.entry(rs.getLong(1), rs.getString(2)))
                .forEach(e -> names.put(e.getKey(), e.getValue()));
        return names;
    }

    /** Locks a blueprint that is not deleted, for a change that depends on its counts. */
    public static Optional<BlueprintRow> lockByName(Handle h, String name) {
        return h.createQuery("SELECT " + COLUMNS.list() + " FROM dd_blueprint WHERE name = :n AND deleted_at IS NULL FOR UPDATE")
                .bind("n", name).map(BlueprintStore::map).findOne();
    }

    /** Marks a blueprint deleted and disabled; its name is free again. */
    public static void markDeleted(Handle h, long id) {
        h.createUpdate("UPDATE dd_blueprint SET deleted_at = now(), enabled = false, updated_at = now() WHERE id = :id")
                .bind("id", id).execute();
    }

    /** Takes one resource slot of the blueprint's limit; false when it is full or disabled. */
    public static boolean reserveResource(Handle h, long blueprintId) {
        return h.createUpdate("""
                        UPDATE dd_blueprint SET resource_count = resource_count + 1
                        WHERE id = :id AND enabled AND resource_count < resource_limit""")
                .bind("id", blueprintId).execute() == 1;
    }

    /**
     * Takes a place in the blueprint's limit for a warm build, which is lowest priority: it may use
     * only the headroom left after every waiting lease this blueprint could serve has had one
     * build's worth (docs/planner.md). The count of waiting leases stops at the limit, which is all
     * the comparison needs; the row lock orders it against a lease's {@link #reserveResource}, so
     * the two cannot both take the last place.
     */
    public static boolean reserveWarm(Handle h, long blueprintId) {
        return h.createUpdate("""
                        UPDATE dd_blueprint b SET resource_count = resource_count + 1
                         WHERE b.id = :id AND b.enabled AND b.deleted_at IS NULL
                           AND b.resource_count + 1 + (
                                 SELECT count(*) FROM (SELECT 1 FROM dd_lease l
                                  WHERE l.status = 'PENDING' AND l.resource_type = b.resource_type AND l.building_resource_id IS NULL
                                    AND (l.allowed_blueprints = '{}' OR b.name = ANY (l.allowed_blueprints))
                                  LIMIT (SELECT resource_limit FROM dd_blueprint WHERE id = :id)) w) <= b.resource_limit""")
                .bind("id", blueprintId).execute() == 1;
    }

    /** How many leases wait for room that blueprint {@code blueprintId} could serve (at most {@code cap}). */
    public static int waitingLeases(Handle h, long blueprintId, int cap) {
        return h.createQuery("""
                        SELECT count(*) FROM (SELECT 1 FROM dd_lease l JOIN dd_blueprint b ON b.id = :id
                          WHERE l.status = 'PENDING' AND l.resource_type = b.resource_type AND l.building_resource_id IS NULL
                            AND (l.allowed_blueprints = '{}' OR b.name = ANY (l.allowed_blueprints))
                          LIMIT :cap) w""")
                .bind("id", blueprintId).bind("cap", cap).mapTo(Integer.class).one();
    }

    public static void releaseResource(Handle h, long blueprintId) {
        h.createUpdate("UPDATE dd_blueprint SET resource_count = resource_count - 1 WHERE id = :id")
                .bind("id", blueprintId).execute();
    }

    public static int update(Handle h, String name, Optional<String> config, Optional<Integer> limit, Optional<Boolean> enabled,
                             Optional<String> placement) {
        return h.createUpdate("""
                        UPDATE dd_blueprint SET config = COALESCE(:config::jsonb, config),
                               -- a new version only for a different configuration: resources built with an equal one stay current
                               config_version = config_version + CASE WHEN COALESCE(:config::jsonb, config) = config THEN 0 ELSE 1 END,
                               resource_limit = COALESCE(:limit, resource_limit),
                               enabled = COALESCE(:enabled, enabled), placement = COALESCE(:placement, placement), updated_at = now()
                        WHERE name = :name AND deleted_at IS NULL""")
                .bind("config", config.orElse(null)).bind("limit", limit.orElse(null)).bind("enabled", enabled.orElse(null))
                .bind("placement", placement.orElse(null)).bind("name", name).execute();
    }

    private static BlueprintRow map(ResultSet rs, org.jdbi.v3.core.statement.StatementContext ctx) throws SQLException {
        return map(rs, 1);
    }

    /** Reads a blueprint from {@link #COLUMNS} starting at column {@code first}. */
    static BlueprintRow map(ResultSet rs, int first) throws SQLException {
        return new BlueprintRow(rs.getLong(first + ID), rs.getString(first + NAME), rs.getString(first + TYPE),
                rs.getString(first + RESOURCE_TYPE), rs.getString(first + CONFIG), rs.getInt(first + CONFIG_VERSION), rs.getInt(first + RESOURCE_LIMIT),
                rs.getInt(first + RESOURCE_COUNT), rs.getBoolean(first + ENABLED), rs.getString(first + PLACEMENT), holdOf(rs, first + GANG_HOLD_ID),
                rs.getInt(first + GANG_HOLD_PLACES), rs.getInt(first + GANG_HOLD_BUILDS));
    }

    private static Optional<Long> holdOf(ResultSet rs, int column) throws SQLException {
        long id = rs.getLong(column);
        return rs.wasNull() ? Optional.empty() : Optional.of(id);
    }
}
