package dev.drydock.core;

import dev.drydock.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Polls, in SQL and as often as it can, the invariants gangs must never break while a test runs
 * (docs/planner.md): no gang partly active, no blueprint over its limit, no resource over its
 * capacity. Every violation seen is kept, with what the query returned; {@link #close} stops it.
 */
final class GangInvariants implements AutoCloseable {
    /** Gangs some but not all of whose members were ever activated: must stay empty. */
    static final String PARTLY_ACTIVE = """
            SELECT 'gang ' || gang_id || ': ' || count(activated_at) || ' of ' || count(*) || ' members activated' FROM dd_lease
             WHERE gang_id IS NOT NULL GROUP BY gang_id HAVING count(activated_at) NOT IN (0, count(*))""";
    static final String OVER_LIMIT = """
            SELECT 'blueprint ' || b.name || ': ' || count(r.id) || ' live resources, limit ' || b.resource_limit
              FROM dd_blueprint b JOIN dd_resource r ON r.blueprint_id = b.id AND r.status <> 'DESTROYED'
             GROUP BY b.id HAVING count(r.id) > b.resource_limit OR max(b.resource_count) > b.resource_limit""";
    static final String OVER_CAPACITY = """
            SELECT 'resource ' || r.id || ': ' || count(l.id) || ' leases placed, capacity ' || r.capacity FROM dd_resource r
              JOIN dd_lease l ON l.resource_id = r.id AND l.status IN ('ACQUIRED', 'ACTIVE', 'RELEASED', 'BROKEN')
             GROUP BY r.id HAVING count(l.id) > r.capacity""";

    private final List<String> violations = new CopyOnWriteArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread poller;
    private final TestDatabase db;
    private volatile int polls;

    GangInvariants(TestDatabase db) {
        this.db = db;
        poller = Thread.ofPlatform().name("gang-invariants").start(() -> {
            try (Connection c = db.connect(); Statement s = c.createStatement()) {
                while (running.get()) {
                    for (String query : List.of(PARTLY_ACTIVE, OVER_LIMIT, OVER_CAPACITY)) {
                        try (ResultSet rs = s.executeQuery(query)) {
                            while (rs.next()) {
                                violations.add(rs.getString(1));
                            }
                        }
                    }
                    polls++;
                }
            } catch (SQLException e) {
                violations.add("the poller failed: " + e);
            }
        });
    }

    /**
     * Waits until every gang is over: after the members' clean-ups, each gang's own task ends it, and
     * the taskmaster must run it before it closes.
     */
    void awaitGangsOver() {
        dev.drydock.testing.Await.until("every gang ended or broken", java.time.Duration.ofSeconds(30),
                () -> db.queryLong("SELECT count(*) FROM dd_gang WHERE status NOT IN ('ENDED', 'BROKEN')") == 0);
    }

    /**
     * Ends a test: everything it started destroyed ({@link EngineCleanUp}), every gang over, the
     * poller, taskmaster and Drydock closed; then fails if an invariant was ever broken.
     */
    void endEverything(Drydock drydock, dev.drydock.taskqueue.Taskmaster taskmaster) throws InterruptedException {
        try {
            EngineCleanUp.destroyEverything(drydock);
            awaitGangsOver();
        } finally {
            close();
            taskmaster.close();
            drydock.close();
        }
        org.assertj.core.api.Assertions.assertThat(violations()).as("invariants broken while the test ran").isEmpty();
    }

    /** What was seen so far. */
    List<String> violations() {
        return List.copyOf(violations);
    }

    int polls() {
        return polls;
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        poller.join();
    }
}
