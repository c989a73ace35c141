package dev.drydock.benchmarks.chaos;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/**
 * Samples the blueprint's limit and every resource's capacity four times a second, in one
 * statement (one snapshot): resources not destroyed against the limit, the blueprint's counter
 * against the limit, and each resource's leases holding a place against its capacity. A sample
 * taken while the database restarts is skipped.
 */
final class LimitSampler implements AutoCloseable {
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("chaos-sampler").daemon().factory());
    private final DataSource db;
    private final String blueprint;
    private final int limit;
    private final int capacity;
    private final List<String> violations = new ArrayList<>();
    private int samples;
    private int mostResources;
    private int mostOnOne;

    LimitSampler(DataSource db, String blueprint, int limit, int capacity) {
        this.db = db;
        this.blueprint = blueprint;
        this.limit = limit;
        this.capacity = capacity;
    }

    void start() {
        timer.scheduleWithFixedDelay(this::sample, 0, 250, TimeUnit.MILLISECONDS);
    }

    private void sample() {
        try (Connection c = db.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("""
                SELECT (SELECT count(*) FROM dd_resource r WHERE r.blueprint_id = b.id AND r.status <> 'DESTROYED'),
                       b.resource_count,
                       (SELECT coalesce(max(n), 0) FROM (SELECT count(*) AS n FROM dd_lease l JOIN dd_resource r ON r.id = l.resource_id
                          WHERE r.blueprint_id = b.id AND l.status IN ('ACQUIRED', 'ACTIVE') GROUP BY l.resource_id) p),
                       (SELECT coalesce(max(active_leases), 0) FROM dd_resource r WHERE r.blueprint_id = b.id)
                FROM dd_blueprint b WHERE b.name = '""" + blueprint + "'")) {
            if (!rs.next()) {
                return;
            }
            int resources = rs.getInt(1);
            int counter = rs.getInt(2);
            int onOne = Math.max(rs.getInt(3), rs.getInt(4));
            synchronized (this) {
                samples++;
                mostResources = Math.max(mostResources, resources);
                mostOnOne = Math.max(mostOnOne, onOne);
                Instant now = Instant.now();
                if (resources > limit || counter > limit) {
                    violations.add(now + ": " + resources + " resources (counter " + counter + ") over the limit of " + limit);
                }
                if (onOne > capacity) {
                    violations.add(now + ": " + onOne + " leases on one resource of capacity " + capacity);
                }
            }
        } catch (SQLException e) {
            // the database restarts: no sample
        }
    }

    synchronized List<String> violations() {
        return List.copyOf(violations);
    }

    synchronized String summary() {
        return samples + " samples: at most " + mostResources + " resources (limit " + limit + "), at most " + mostOnOne
                + " leases on one resource (capacity " + capacity + ")";
    }

    synchronized int samples() {
        return samples;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
