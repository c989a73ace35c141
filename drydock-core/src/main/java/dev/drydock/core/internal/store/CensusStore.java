package dev.drydock.core.internal.store;

import dev.drydock.api.LeaseStatus;
import dev.drydock.api.ResourceStatus;
import dev.drydock.core.Census;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/**
 * The counts of a {@link Census}. Each part's WHERE clause is the predicate of one partial index
 * (dd_lease_waiting, dd_lease_on_resource, dd_lease_ending; dd_resource_live, dd_resource_ending),
 * so the planner can read only the live rows however long the history is; dd_blueprint holds a row
 * per blueprint. The statuses are written in, not bound: a bound one would not prove the predicate.
 */
public final class CensusStore {
    /** The leases by live status, one part per partial index; public for the test that EXPLAINs it. */
    public static final String LEASES = """
            SELECT 'PENDING', count(*) FROM dd_lease WHERE status = 'PENDING'
            UNION ALL SELECT status, count(*) FROM dd_lease WHERE status IN ('ACQUIRED', 'ACTIVE', 'RELEASED') GROUP BY status
            UNION ALL SELECT 'BROKEN', count(*) FROM dd_lease WHERE status = 'BROKEN'""";
    /** The resources by blueprint and live status. */
    public static final String RESOURCES = """
            SELECT blueprint_id, status, count(*) FROM dd_resource WHERE status IN ('PENDING', 'ACTIVE') GROUP BY blueprint_id, status
            UNION ALL
            SELECT blueprint_id, status, count(*) FROM dd_resource WHERE status IN ('RELEASED', 'BROKEN') GROUP BY blueprint_id, status""";

    private CensusStore() {}

    /** Live leases by status (zero for a status none is in), through the partial indexes. */
    public static Map<LeaseStatus, Long> leases(Handle h) {
        Map<LeaseStatus, Long> leases = new EnumMap<>(LeaseStatus.class);
        Census.LIVE_LEASES.forEach(s -> leases.put(s, 0L));
        h.createQuery(LEASES).map((rs, ctx) -> Map.entry(LeaseStatus.valueOf(rs.getString(1)), rs.getLong(2)))
                .forEach(e -> leases.put(e.getKey(), e.getValue()));
        return leases;
    }

    public static Census read(Handle h) {
        Map<LeaseStatus, Long> leases = leases(h);
        Map<Long, Map<ResourceStatus, Long>> resources = new HashMap<>();
        h.createQuery(RESOURCES).map((rs, ctx) -> new Object[] {rs.getLong(1), ResourceStatus.valueOf(rs.getString(2)), rs.getLong(3)})
                .forEach(row -> resources.computeIfAbsent((Long) row[0], id -> zeroes()).put((ResourceStatus) row[1], (Long) row[2]));
        List<Census.BlueprintCount> blueprints = h.createQuery("""
                        SELECT id, name, type, resource_type, enabled, resource_limit
                        FROM dd_blueprint WHERE deleted_at IS NULL ORDER BY name""")
                .map((rs, ctx) -> new Census.BlueprintCount(rs.getString(2), rs.getString(3), rs.getString(4), rs.getBoolean(5),
                        rs.getInt(6), resources.getOrDefault(rs.getLong(1), zeroes())))
                .list();
        return new Census(leases, blueprints);
    }

    private static Map<ResourceStatus, Long> zeroes() {
        Map<ResourceStatus, Long> m = new EnumMap<>(ResourceStatus.class);
        Census.LIVE_RESOURCES.forEach(s -> m.put(s, 0L));
        return m;
    }
}
