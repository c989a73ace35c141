package dev.drydock.core.internal.store;

import dev.drydock.api.ResourceStatus;
import dev.drydock.core.internal.Json;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.StatementContext;

/** Stored resources, their transitions and their lease capacity. */
public final class ResourceStore {
    static final Columns COLUMNS =
            Columns.of("id, blueprint_id, resource_type, status, status_reason, capacity, active_leases, attributes::text, created_at, config_version, failed_at, ready_at");
    private static final int ID = COLUMNS.at("id");
    private static final int BLUEPRINT_ID = COLUMNS.at("blueprint_id");
    private static final int RESOURCE_TYPE = COLUMNS.at("resource_type");
    private static final int STATUS = COLUMNS.at("status");
    private static final int STATUS_REASON = COLUMNS.at("status_reason");
    private static final int CAPACITY = COLUMNS.at("capacity");
    private static final int ACTIVE_LEASES = COLUMNS.at("active_leases");
    private static final int ATTRIBUTES = COLUMNS.at("attributes");
    private static final int CREATED_AT = COLUMNS.at("created_at");
    private static final int CONFIG_VERSION = COLUMNS.at("config_version");
    private static final int FAILED_AT = COLUMNS.at("failed_at");
    private static final int READY_AT = COLUMNS.at("ready_at");
    private ResourceStore() {}

    /**
     * A new PENDING resource of {@code builtWith}, with {@code attributes}, which stores the
     * configuration (and its version) of that row as read: the one the engine validated for this
     * build, even if the blueprint was edited meanwhile. Every later step of the resource uses it.
     */
    public static long insertPending(Handle h, BlueprintRow builtWith, int capacity, Map<String, String> attributes, String reason) {
        long id = h.createQuery("""
                        INSERT INTO dd_resource (blueprint_id, resource_type, status, status_reason, capacity, attributes, config, config_version)
                        VALUES (:b, :rt, 'PENDING', :reason, :cap, :a::jsonb, :config::jsonb, :version) RETURNING id""")
                .bind("b", builtWith.id()).bind("rt", builtWith.resourceType()).bind("reason", reason).bind("cap", capacity)
                .bind("a", Json.write(attributes)).bind("config", builtWith.config()).bind("version", builtWith.configVersion())
                .mapTo(Long.class).one();
        EventLog.resource(h, id, builtWith.id(), "resource " + id + " PENDING: " + reason);
        return id;
    }

    /**
     * {@link #insertPending}, and for a blueprint with {@code slots} (hosts) the first free one,
     * claimed and recorded as the resource's {@link dev.drydock.api.spi.BlueprintImplementation#SLOT}
     * attribute: every build inserts its resource this way.
     *
     * @throws NoFreeSlotException every slot is taken; the caller's transaction must roll back
     */
    public static long insertBuild(Handle h, BlueprintRow builtWith, int capacity, Map<String, String> attributes, String reason,
                                   List<String> slots) {
        long id = insertPending(h, builtWith, capacity, attributes, reason);
        if (!slots.isEmpty()) {
            String slot = claimSlot(h, builtWith.id(), id, slots).orElseThrow(() -> new NoFreeSlotException(slots.size()));
            setAttributes(h, id, Map.of(dev.drydock.api.spi.BlueprintImplementation.SLOT, slot));
        }
        return id;
    }

    /** A resource's copy of the configuration it was built with (JSON text), and that configuration's version. */
    public record ConfigSnapshot(String config, int version) {}

    /** The configuration resource {@code id} was built with; empty if it was built before V8. */
    public static Optional<ConfigSnapshot> configSnapshot(Handle h, long id) {
        return h.createQuery("SELECT config::text, config_version FROM dd_resource WHERE id = :id AND config IS NOT NULL")
                .bind("id", id).map((rs, ctx) -> new ConfigSnapshot(rs.getString(1), rs.getInt(2))).findOne();
    }

    /**
     * The configuration resource {@code id}'s steps use (its own copy, or for one built before V8 its
     * blueprint's) as JSON text, and whether it is the blueprint's current one; empty if no such resource.
     */
    public static Optional<Map.Entry<String, Boolean>> configInUse(Handle h, long id) {
        return h.createQuery("""
                        SELECT coalesce(r.config, b.config)::text, r.config_version IS NULL OR r.config_version = b.config_version
                          FROM dd_resource r JOIN dd_blueprint b ON b.id = r.blueprint_id WHERE r.id = :id""")
                .bind("id", id).map((rs, ctx) -> Map.entry(rs.getString(1), rs.getBoolean(2))).findOne();
    }

    /**
     * Points a resource not yet destroyed at its blueprint's current configuration (an operator's
     * decision: the one it was built with was a mistake); false when it is destroyed or gone.
     */
    public static boolean useCurrentConfig(Handle h, long id) {
        return h.createUpdate("""
                        UPDATE dd_resource r SET config = b.config, config_version = b.config_version, updated_at = now()
                          FROM dd_blueprint b
                         WHERE r.id = :id AND b.id = r.blueprint_id AND r.status <> 'DESTROYED'""")
                .bind("id", id).execute() == 1;
    }

    public static Optional<ResourceRow> find(Handle h, long id) {
        return h.createQuery("SELECT " + COLUMNS.list() + " FROM dd_resource WHERE id = :id").bind("id", id).map(ResourceStore::map).findOne();
    }

    /** A resource and the blueprint it belongs to. */
    public record Placed(ResourceRow resource, BlueprintRow blueprint) {}

    public static List<ResourceRow> all(Handle h) {
        return h.createQuery("SELECT " + COLUMNS.list() + " FROM dd_resource ORDER BY id").map(ResourceStore::map).list();
    }

    /** A page of resources, newest first below {@code beforeId}, with only the filters given. */
    public static List<ResourceRow> page(Handle h, Optional<ResourceStatus> status, Optional<String> resourceType,
                                         Optional<Long[]> blueprintIds, long beforeId, int limit) {
        return new IdPage("SELECT " + COLUMNS.list() + " FROM dd_resource")
                .where("status = :status", "status", status.map(Enum::name))
                .where("resource_type = :type", "type", resourceType)
                .where("blueprint_id = ANY(:blueprints)", "blueprints", blueprintIds)
                .newestBelow(h, beforeId, limit).map(ResourceStore::map).list();
    }

    public static Optional<ResourceRow> lock(Handle h, long id) {
        return h.createQuery("SELECT " + COLUMNS.list() + " FROM dd_resource WHERE id = :id FOR UPDATE").bind("id", id).map(ResourceStore::map).findOne();
    }

    /**
     * {@link #lock}s the resource and answers it only if it is still ACTIVE with no lease on it: what
     * every release of an idle resource checks first, since a lease may take it at any moment.
     */
    public static Optional<ResourceRow> lockIdle(Handle h, long id) {
        return lock(h, id).filter(r -> r.status() == ResourceStatus.ACTIVE && r.activeLeases() == 0);
    }

    /**
     * The blueprints that build {@code resourceType} and the active resources of the enabled ones
     * with room for a lease, in one statement. Resources come best first by a prefilter that the
     * blueprint's scorer refines (engine {@code OfferRanking}): those that failed recently last,
     * then the fullest (the emptiest for a blueprint placed by {@code spread}), then the oldest;
     * at most 50 per blueprint.
     */
    public static Offers offers(Handle h, String resourceType) {
        OffersGathered offers = new OffersGathered();
        h.createQuery(offersQuery("", "b.resource_type = :rt") + " ORDER BY " + OFFER_ORDER)
                .bind("rt", resourceType)
                .map((rs, ctx) -> {
                    offers.add(BlueprintStore.map(rs, 1), mapIfPresent(rs, 1 + BlueprintStore.COLUMNS.width()));
                    return 0;
                })
                .list();
        return offers.offers();
    }

    /**
     * Rows of {@link #offersQuery}, in their order, gathered into {@link Offers}: each blueprint
     * once (by id), the resources with room in row order (best first).
     */
    static final class OffersGathered {
        private final Map<Long, BlueprintRow> blueprints = new TreeMap<>();
        private final List<ResourceRow> withRoom = new ArrayList<>();

        void add(BlueprintRow blueprint, Optional<ResourceRow> resource) {
            blueprints.putIfAbsent(blueprint.id(), blueprint);
            resource.ifPresent(withRoom::add);
        }

        Offers offers() {
            return new Offers(List.copyOf(blueprints.values()), List.copyOf(withRoom));
        }
    }

    /**
     * What {@link #offers} reads, for blueprints matching {@code blueprintPredicate} (over {@code b}):
     * the blueprint's columns, then its resource's (null for a blueprint without one with room),
     * then {@code extraColumns} (empty, or starting with a comma).
     */
    static String offersQuery(String extraColumns, String blueprintPredicate) {
        return "SELECT " + BlueprintStore.COLUMNS.qualified("b") + ", " + COLUMNS.qualified("r") + extraColumns + """
                 FROM dd_blueprint b
                 LEFT JOIN LATERAL (
                      SELECT * FROM dd_resource
                       WHERE blueprint_id = b.id AND b.enabled AND status = 'ACTIVE' AND active_leases < capacity
                       ORDER BY (failed_at IS NOT NULL AND failed_at > now() - interval '5 minutes'),
                                CASE WHEN b.placement = 'spread' THEN active_leases ELSE -active_leases END, id
                       LIMIT 50) r ON true
                WHERE b.deleted_at IS NULL AND\s""" + blueprintPredicate;
    }

    /** The order of {@link #offersQuery}'s rows: best resource first (see {@link #offers}). */
    static final String OFFER_ORDER =
            "(r.failed_at IS NOT NULL AND r.failed_at > now() - interval '5 minutes'), r.active_leases DESC, r.id, b.id";

    /** The blueprints of a resource type (by id) and the resources with room among them, best first. */
    public record Offers(List<BlueprintRow> blueprints, List<ResourceRow> withRoom) {}

    /**
     * Gives back one lease slot inside a larger transaction; returns the leases left on the resource.
     * For rare paths (a broken resource handing its acquired leases back): the common clean-up is
     * {@link LeaseCapacity#giveBack}, which keeps the row's lock short.
     */
    public static int releaseLease(Handle h, long resourceId) {
        return h.createQuery("""
                        UPDATE dd_resource SET active_leases = active_leases - 1,
                               idle_since = CASE WHEN active_leases - 1 = 0 THEN now() ELSE idle_since END
                        WHERE id = :id RETURNING active_leases""")
                .bind("id", resourceId).mapTo(Integer.class).one();
    }

    /** Moves a resource between states if it is still in {@code from}; false if another change won. */
    public static boolean transition(Handle h, ResourceRow r, ResourceStatus from, ResourceStatus to, String reason) {
        if (!from.canMoveTo(to)) {
            throw new IllegalStateException("resource " + r.id() + ": no transition " + from + " -> " + to);
        }
        int n = h.createUpdate("""
                        UPDATE dd_resource SET status = :to, status_reason = :reason, updated_at = now(), version = version + 1,
                               failed_at = CASE WHEN :to = 'BROKEN' THEN now() ELSE failed_at END
                        WHERE id = :id AND status = :from""")
                .bind("to", to.name()).bind("reason", reason).bind("id", r.id()).bind("from", from.name()).execute();
        if (n == 1) {
            EventLog.resource(h, r.id(), r.blueprintId(), "resource " + r.id() + " " + from + " -> " + to + ": " + reason);
        }
        return n == 1;
    }

    /**
     * Notes that a lease failed to be prepared on an active resource: placement ranks it lower for
     * a while ({@code failed_at}, which a break also sets), though it stays ACTIVE.
     */
    public static void markFailed(Handle h, long id) {
        h.createUpdate("UPDATE dd_resource SET failed_at = now() WHERE id = :id AND status = 'ACTIVE'").bind("id", id).execute();
    }

    public static void setAttributes(Handle h, long id, Map<String, String> attributes) {
        if (!attributes.isEmpty()) {
            h.createUpdate("UPDATE dd_resource SET attributes = attributes || :a::jsonb WHERE id = :id")
                    .bind("a", Json.write(attributes)).bind("id", id).execute();
        }
    }

    /**
     * Sets the capacity its build chose. Only while it is PENDING: no lease holds a share of a
     * resource before it is ACTIVE, so no share can be above the new capacity.
     */
    public static void setCapacity(Handle h, long id, int capacity) {
        h.createUpdate("UPDATE dd_resource SET capacity = :c WHERE id = :id AND status = 'PENDING'").bind("c", capacity).bind("id", id).execute();
    }

    /**
     * Takes the first free slot of a blueprint for a resource, by inserting its lock row; empty when
     * all are taken (or a racing transaction took the one we chose: the caller retries later).
     */
    public static Optional<String> claimSlot(Handle h, long blueprintId, long resourceId, List<String> slots) {
        String prefix = SlotLocks.ofBlueprint(blueprintId);
        // slots whose resources failed lately go last, so one dead host does not starve the pool
        return h.createQuery(SlotLocks.takeFirstFree("owner_resource_id", "true", """
                        EXISTS (SELECT 1 FROM dd_resource r WHERE r.blueprint_id = :bid
                                  AND r.attributes ->> 'drydock.slot' = s.k AND r.failed_at > now() - interval '1 minute'),
                        s.ord"""))
                .bind("prefix", prefix).bind("owner", resourceId).bind("bid", blueprintId).bind("slots", slots.toArray(String[]::new))
                .mapTo(String.class).findOne().map(k -> k.substring(prefix.length()));
    }

    public static void markChecked(Handle h, long resourceId) {
        h.createUpdate("UPDATE dd_resource SET checked_at = now() WHERE id = :id").bind("id", resourceId).execute();
    }

    public static void deleteSlotLocks(Handle h, long resourceId) {
        h.createUpdate("DELETE FROM dd_slot_lock WHERE owner_resource_id = :id").bind("id", resourceId).execute();
    }

    static ResourceRow map(ResultSet rs, StatementContext ctx) throws SQLException {
        return map(rs, 1);
    }

    /** {@link #map(ResultSet, int)}, or empty when the row has no resource there (an outer join's NULLs). */
    static Optional<ResourceRow> mapIfPresent(ResultSet rs, int first) throws SQLException {
        rs.getLong(first + ID);
        return rs.wasNull() ? Optional.empty() : Optional.of(map(rs, first));
    }

    /** Reads a resource from {@link #COLUMNS} starting at column {@code first}. */
    static ResourceRow map(ResultSet rs, int first) throws SQLException {
        return new ResourceRow(rs.getLong(first + ID), rs.getLong(first + BLUEPRINT_ID), rs.getString(first + RESOURCE_TYPE),
                ResourceStatus.valueOf(rs.getString(first + STATUS)), rs.getString(first + STATUS_REASON), rs.getInt(first + CAPACITY),
                rs.getInt(first + ACTIVE_LEASES), Json.stringMap(rs.getString(first + ATTRIBUTES)), rs.getTimestamp(first + CREATED_AT).toInstant(),
                rs.getInt(first + CONFIG_VERSION), // NULL (built before V8) reads as 0, NO_SNAPSHOT
                instant(rs.getTimestamp(first + FAILED_AT)), instant(rs.getTimestamp(first + READY_AT)));
    }

    private static Optional<java.time.Instant> instant(java.sql.Timestamp at) {
        return at == null ? Optional.empty() : Optional.of(at.toInstant());
    }

    /** Says why a resource is where it is, without a transition: e.g. a destroy that keeps failing. */
    public static void setReason(Handle h, long id, dev.drydock.api.ResourceStatus status, String reason) {
        h.createUpdate("UPDATE dd_resource SET status_reason = :r, updated_at = now() WHERE id = :id AND status = :s::dd_resource_status")
                .bind("r", reason).bind("id", id).bind("s", status.name()).execute();
    }

    /** How long ago the resource's row was created, on the database's clock (zero if it is gone). */
    public static java.time.Duration age(Handle h, long id) {
        return h.createQuery("SELECT (extract(epoch FROM now() - created_at) * 1000)::bigint FROM dd_resource WHERE id = :id")
                .bind("id", id).mapTo(Long.class).findOne().map(java.time.Duration::ofMillis).orElse(java.time.Duration.ZERO);
    }
}
