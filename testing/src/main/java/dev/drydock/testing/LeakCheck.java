package dev.drydock.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class that leaves the engine's records in a state a user would call a leak, checked
 * once after all its tests on the class's database ({@link PostgresExtension}, registered with it:
 * {@code @ExtendWith({PostgresExtension.class, LeakCheck.class})}). A class that never asked for a
 * database, or never made the engine's tables, is not checked. The {@link Leak}s it looks for are
 * each one query over the final rows; the failure lists every leak found with the rows' ids and
 * reasons. A class that leaves rows on purpose says which kinds and why with {@link Allowed}.
 */
public final class LeakCheck implements AfterAllCallback {
    /** Rows listed per kind of leak; the count says how many there are. */
    private static final int SHOWN = 20;

    /** What a class may leave behind. */
    public enum Leak {
        /** A lease not DESTROYED. */
        UNFINISHED_LEASES("leases not DESTROYED", """
                SELECT 'lease ' || id || ' ' || status || ': ' || status_reason FROM dd_lease WHERE status <> 'DESTROYED' ORDER BY id"""),
        /** A resource not DESTROYED. */
        UNFINISHED_RESOURCES("resources not DESTROYED", """
                SELECT 'resource ' || id || ' ' || status || ': ' || status_reason FROM dd_resource WHERE status <> 'DESTROYED' ORDER BY id"""),
        /**
         * A resource whose {@code active_leases} is not the number of its leases that hold a slot:
         * taken when a lease becomes ACQUIRED, given back when a lease on it is cleaned up to
         * DESTROYED, so held by its ACQUIRED, ACTIVE, RELEASED and BROKEN leases.
         */
        LEASE_COUNT("resources whose lease count disagrees with their leases", """
                SELECT 'resource ' || r.id || ' counts ' || r.active_leases || ' lease(s), holds ' || count(l.id)
                  FROM dd_resource r LEFT JOIN dd_lease l ON l.resource_id = r.id AND l.status IN ('ACQUIRED', 'ACTIVE', 'RELEASED', 'BROKEN')
                 GROUP BY r.id HAVING r.active_leases <> count(l.id) ORDER BY r.id"""),
        /** A blueprint whose {@code resource_count} is not the number of its resources not yet DESTROYED. */
        RESOURCE_COUNT("blueprints whose resource count disagrees with their resources", """
                SELECT 'blueprint ' || b.name || ' counts ' || b.resource_count || ' resource(s), has ' || count(r.id)
                  FROM dd_blueprint b LEFT JOIN dd_resource r ON r.blueprint_id = b.id AND r.status <> 'DESTROYED'
                 GROUP BY b.id HAVING b.resource_count <> count(r.id) ORDER BY b.id"""),
        /** A slot lock whose owning resource or lease is gone or DESTROYED. */
        ORPHAN_SLOT_LOCKS("slot locks without a live owner", """
                SELECT 'slot lock ' || k.lock_key || ' of ' || coalesce('resource ' || k.owner_resource_id, 'lease ' || k.owner_lease_id)
                  FROM dd_slot_lock k
                  LEFT JOIN dd_resource r ON r.id = k.owner_resource_id LEFT JOIN dd_lease l ON l.id = k.owner_lease_id
                 WHERE (k.owner_resource_id IS NOT NULL AND (r.id IS NULL OR r.status = 'DESTROYED'))
                    OR (k.owner_lease_id IS NOT NULL AND (l.id IS NULL OR l.status = 'DESTROYED'))
                 ORDER BY k.lock_key"""),
        /** A sub-lease its owner still names though the owner is DESTROYED: its destruction did not let it go. */
        ORPHAN_SUB_LEASES("sub-leases still named by a destroyed owner", """
                SELECT 'lease ' || l.id || ' ' || l.status || ', sub-lease ' || l.owner_name || ' of destroyed resource ' || r.id
                  FROM dd_lease l JOIN dd_resource r ON r.id = l.owner_resource_id
                 WHERE l.owner_name IS NOT NULL AND r.status = 'DESTROYED' ORDER BY l.id"""),
        /** A gang not over (ENDED or BROKEN): its task did not finish it, or a member is still held. */
        UNFINISHED_GANGS("gangs not ENDED or BROKEN", """
                SELECT 'gang ' || id || ' ' || status || ': ' || status_reason FROM dd_gang WHERE status NOT IN ('ENDED', 'BROKEN') ORDER BY id""",
                "dd_gang"),
        /** A blueprint still held for a gang that is active or over: younger leases would wait behind nobody. */
        STALE_GANG_HOLDS("FIFO holds of gangs that no longer wait", """
                SELECT 'blueprint ' || b.name || ' held for the gang of lease ' || b.gang_hold_lease_id FROM dd_blueprint b
                 WHERE b.gang_hold_lease_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM dd_lease l JOIN dd_gang g ON g.id = l.gang_id
                       WHERE l.id = b.gang_hold_lease_id AND g.status IN ('WAITING', 'RESERVED')) ORDER BY b.id""", "dd_gang"),
        /** An engine task archived as failed: the engine gave up on a lease, a resource or its janitor. */
        FAILED_TASKS("engine tasks that failed for good", """
                SELECT 'task ' || id || ' ' || kind || ' ' || payload::text || ': ' || coalesce(last_error, '(no error)')
                  FROM tq_task_archive WHERE outcome = 'failed' AND kind LIKE 'drydock.%' ORDER BY id""");

        private final String what;
        private final String query;
        /** The table the query needs: a class whose schema predates it is not checked for this kind. */
        private final String table;

        Leak(String what, String query) {
            this(what, query, "dd_lease");
        }

        Leak(String what, String query, String table) {
            this.what = what;
            this.query = query;
            this.table = table;
        }
    }

    /**
     * Lets a class leave {@link #value} behind on purpose; {@link #reason} says why (it is shown
     * when the check runs, and must not be blank).
     */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.TYPE)
    @Repeatable(Allowed.List.class)
    public @interface Allowed {
        Leak[] value();

        String reason();

        /** The container of repeated {@link Allowed}. */
        @Retention(RetentionPolicy.RUNTIME)
        @Target(ElementType.TYPE)
        @interface List {
            Allowed[] value();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws SQLException {
        Class<?> testClass = context.getRequiredTestClass();
        var database = PostgresExtension.databaseOf(context);
        if (database.isEmpty()) {
            return;
        }
        Set<Leak> allowed = allowed(testClass);
        List<String> found = new ArrayList<>();
        try (Connection c = database.get().connect(); Statement s = c.createStatement()) {
            if (!exists(s, "dd_lease")) {
                return;
            }
            boolean queue = exists(s, "tq_task_archive");
            for (Leak leak : Leak.values()) {
                if (allowed.contains(leak) || (leak == Leak.FAILED_TASKS && !queue) || !exists(s, leak.table)) {
                    continue;
                }
                List<String> rows = rows(s, leak.query);
                if (!rows.isEmpty()) {
                    List<String> shown = new ArrayList<>(rows.subList(0, Math.min(rows.size(), SHOWN)));
                    if (rows.size() > SHOWN) {
                        shown.add("... and " + (rows.size() - SHOWN) + " more");
                    }
                    found.add(rows.size() + " " + leak.what + " (" + leak + "):\n    " + String.join("\n    ", shown));
                }
            }
        }
        if (!found.isEmpty()) {
            throw new AssertionError(testClass.getSimpleName() + " left leaks after its tests:\n  " + String.join("\n  ", found)
                    + "\nEnd what the tests started in their clean-up (release leases and resources, and wait until they are"
                    + " DESTROYED), fix the engine, or mark the class @LeakCheck.Allowed with the kind and the reason.");
        }
    }

    private static Set<Leak> allowed(Class<?> testClass) {
        Set<Leak> allowed = EnumSet.noneOf(Leak.class);
        for (Allowed a : testClass.getAnnotationsByType(Allowed.class)) {
            if (a.reason().isBlank()) {
                throw new IllegalStateException("@LeakCheck.Allowed on " + testClass.getSimpleName() + " must say why the class leaves "
                        + Arrays.toString(a.value()));
            }
            allowed.addAll(Arrays.asList(a.value()));
        }
        return allowed;
    }

    private static boolean exists(Statement s, String table) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT to_regclass('" + table + "') IS NOT NULL")) {
            return rs.next() && rs.getBoolean(1);
        }
    }

    private static List<String> rows(Statement s, String query) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (ResultSet rs = s.executeQuery(query)) {
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
        }
        return rows;
    }
}
