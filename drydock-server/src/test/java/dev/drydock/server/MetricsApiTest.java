package dev.drydock.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.api.LeaseStatus;
import dev.drydock.api.ResourceStatus;
import dev.drydock.testing.Await;
import dev.drydock.testing.LeakCheck;
import dev.drydock.testing.PostgresExtension;
import dev.drydock.testing.TestDatabase;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code /metrics} on the wire, with a real taskmaster and local-host blueprints: the gauges a
 * scrape reads from the database equal what SQL counts there at the same moment (leases by status,
 * resources by blueprint and status, limits, reaped objects, queue depth, taskmasters); a lease that
 * becomes ACTIVE is one sample more in its blueprint's latency histogram, a build and a destroy one
 * more in theirs; and the route wants a token like every other.
 */
@ExtendWith({PostgresExtension.class, LeakCheck.class})
class MetricsApiTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Map<String, String> LOCAL = Map.of("type", "local-host");
    private static ServedDrydock fx;
    private static TestDatabase db;

    @BeforeAll
    static void start(TestDatabase database) {
        db = database;
        fx = new ServedDrydock(database);
        fx.drydock.blueprints().create("metered", "local-host", fx.hostsConfig("metered", 2), 1);
        fx.drydock.blueprints().create("spare", "local-host", fx.hostsConfig("spare", 1), 3);
        fx.drydock.blueprints().setEnabled("spare", false);
        fx.drydock.blueprints().create("quick", "local-host", fx.hostsConfig("quick", 4), 1);
    }

    @AfterAll
    static void stop() {
        fx.close();
    }

    @Test
    void theGaugesEqualWhatTheDatabaseHolds() throws SQLException {
        List<Long> leases = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            leases.add(acquire("metered"));
        }
        // one resource of capacity 2: two leases become active and the third waits for room
        Await.until("two leases active and one waiting", WAIT, () -> count("status = 'ACTIVE'", leases) == 2
                && count("status = 'PENDING'", leases) == 1);
        execute("INSERT INTO dd_reaper (blueprint_id, reaped) SELECT id, 7 FROM dd_blueprint WHERE name = 'metered'"
                + " ON CONFLICT (blueprint_id) DO UPDATE SET reaped = 7");

        record Moment(PrometheusText scrape, Map<String, Long> database) {}
        // The taskmaster keeps working: compare a scrape with the database as it was both before and after it.
        Moment moment = Await.value("a scrape between two equal readings of the database", WAIT, () -> {
            Map<String, Long> before = databaseCounts();
            PrometheusText scrape = scrape(fx.reader);
            return before.equals(databaseCounts()) ? new Moment(scrape, before) : null;
        });
        PrometheusText scrape = moment.scrape();
        Map<String, Long> database = moment.database();

        assertThat(scrape.value("drydock_up", Map.of())).contains(1.0);
        for (LeaseStatus status : List.of(LeaseStatus.PENDING, LeaseStatus.ACQUIRED, LeaseStatus.ACTIVE, LeaseStatus.RELEASED,
                LeaseStatus.BROKEN)) {
            assertThat(scrape.value("drydock_leases", Map.of("status", status.name()))).as(status.name())
                    .contains((double) database.getOrDefault("lease " + status, 0L));
        }
        assertThat(scrape.value("drydock_leases", Map.of("status", "PENDING")).orElseThrow()).isGreaterThanOrEqualTo(1.0);
        assertThat(scrape.named("drydock_leases")).as("DESTROYED leases are history, never counted").hasSize(5);
        for (String blueprint : List.of("metered", "spare", "quick")) {
            for (ResourceStatus status : List.of(ResourceStatus.PENDING, ResourceStatus.ACTIVE, ResourceStatus.RELEASED, ResourceStatus.BROKEN)) {
                assertThat(scrape.value("drydock_resources", labels(blueprint, "status", status.name()))).as(blueprint + " " + status)
                        .contains((double) database.getOrDefault("resource " + blueprint + " " + status, 0L));
            }
        }
        assertThat(scrape.value("drydock_resources", labels("metered", "status", "ACTIVE"))).contains(1.0);
        assertThat(scrape.value("drydock_blueprint_limit", labels("metered"))).contains(1.0);
        assertThat(scrape.value("drydock_blueprint_limit", labels("spare"))).contains(3.0);
        assertThat(scrape.value("drydock_blueprint_enabled", labels("spare"))).contains(0.0);
        assertThat(scrape.value("drydock_reaped_objects_total", labels("metered"))).contains(7.0);
        assertThat(scrape.types()).containsEntry("drydock_reaped_objects_total", "counter").containsEntry("drydock_leases", "gauge")
                .containsEntry("drydock_lease_activation_seconds", "histogram");
        assertThat(scrape.value("drydock_taskmasters", Map.of())).contains((double) database.get("taskmasters")).contains(1.0);
        database.forEach((key, n) -> {
            if (key.startsWith("queue ")) {
                // queued and running together: a task claimed and yielded back between two readings moves between them
                Map<String, String> kind = Map.of("kind", key.substring(6));
                assertThat(scrape.valueOrZero("drydock_queue_depth", kind) + scrape.valueOrZero("drydock_queue_running", kind)).as(key)
                        .isEqualTo((double) n);
            }
        });
        assertThat(scrape.value("drydock_queue_depth", Map.of("kind", "drydock.janitor"))).as("the janitor is always queued").isPresent();
        leases.forEach(id -> fx.drydock.releaseLease(id));
    }

    @Test
    void aLeaseBecomingActiveIsASampleOfItsBlueprintsLatencyHistogramAndBuildsAndDestroysAreCounted() {
        Map<String, String> quick = labels("quick");
        PrometheusText before = scrape(fx.reader);
        double samples = before.valueOrZero("drydock_lease_activation_seconds_count", quick);
        double sum = before.valueOrZero("drydock_lease_activation_seconds_sum", quick);
        double builds = before.valueOrZero("drydock_resource_build_seconds_count", quick);

        long requestedAt = System.nanoTime();
        long id = acquire("quick");
        Await.until("the lease active", WAIT, () -> db.queryLong("SELECT count(*) FROM dd_lease WHERE status = 'ACTIVE' AND id = " + id) == 1);
        double waitedAtMost = (System.nanoTime() - requestedAt) / 1e9;
        PrometheusText after = scrape(fx.reader);

        assertThat(after.valueOrZero("drydock_lease_activation_seconds_count", quick)).isEqualTo(samples + 1);
        assertThat(after.valueOrZero("drydock_lease_activation_seconds_sum", quick) - sum).isPositive().isLessThanOrEqualTo(waitedAtMost);
        assertThat(after.value("drydock_lease_activation_seconds_bucket", withLe(quick, "+Inf"))).contains(samples + 1);
        assertThat(after.valueOrZero("drydock_resource_build_seconds_count", quick)).as("its resource was built for it").isEqualTo(builds + 1);

        long resource = db.queryLong("SELECT resource_id FROM dd_lease WHERE id = " + id);
        fx.drydock.releaseLease(id);
        Await.until("the lease destroyed", WAIT, () -> db.queryLong("SELECT count(*) FROM dd_lease WHERE status = 'DESTROYED' AND id = " + id) == 1);
        fx.drydock.releaseResource(resource);
        Await.until("the resource destroyed", WAIT,
                () -> db.queryLong("SELECT count(*) FROM dd_resource WHERE status = 'DESTROYED' AND id = " + resource) == 1);
        assertThat(scrape(fx.reader).valueOrZero("drydock_resource_destroy_seconds_count", quick)).isEqualTo(1.0);
    }

    @Test
    void theRouteWantsAToken() {
        ApiClient.Answer none = fx.api.get(null, "/metrics");
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.error()).isEqualTo("unauthorized");
        assertThat(fx.api.get("ddt_" + "x".repeat(43), "/metrics").status()).isEqualTo(401);
        HttpResponse<String> read = fx.api.text(fx.reader, "/metrics");
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(read.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        assertThat(fx.api.text(fx.admin, "/metrics").statusCode()).as("a wider scope reads too").isEqualTo(200);
    }

    private static long acquire(String blueprint) {
        ApiClient.Answer acquired = fx.api.post(fx.leaser, "/v1/leases",
                "{\"type\": \"host\", \"blueprints\": [\"" + blueprint + "\"], \"ttl\": \"1h\"}");
        assertThat(acquired.status()).as(acquired.json().toString()).isEqualTo(201);
        return acquired.json().path("id").asLong();
    }

    private static PrometheusText scrape(String token) {
        HttpResponse<String> answer = fx.api.text(token, "/metrics");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return PrometheusText.parse(answer.body());
    }

    private static Map<String, String> labels(String blueprint, String... more) {
        Map<String, String> labels = new TreeMap<>(LOCAL);
        labels.put("blueprint", blueprint);
        for (int i = 0; i < more.length; i += 2) {
            labels.put(more[i], more[i + 1]);
        }
        return labels;
    }

    private static Map<String, String> withLe(Map<String, String> labels, String le) {
        Map<String, String> with = new TreeMap<>(labels);
        with.put("le", le);
        return with;
    }

    private static long count(String condition, List<Long> ids) {
        return db.queryLong("SELECT count(*) FROM dd_lease WHERE " + condition + " AND id IN ("
                + String.join(",", ids.stream().map(String::valueOf).toList()) + ")");
    }

    /** What the test counts in SQL, the plain way (scanning is fine here), keyed like "lease ACTIVE", "resource metered ACTIVE". */
    private static Map<String, Long> databaseCounts() {
        Map<String, Long> counts = new TreeMap<>();
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            read(s, "SELECT 'lease ' || status, count(*) FROM dd_lease GROUP BY status", counts);
            read(s, "SELECT 'resource ' || b.name || ' ' || r.status, count(*) FROM dd_resource r JOIN dd_blueprint b ON b.id = r.blueprint_id"
                    + " GROUP BY b.name, r.status", counts);
            read(s, "SELECT 'queue ' || kind, count(*) FROM tq_task GROUP BY kind", counts);
            read(s, "SELECT 'taskmasters', count(*) FROM tq_taskmaster WHERE heartbeat_at > now() - lease_ms * interval '1 millisecond'", counts);
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
        return counts;
    }

    private static void read(Statement s, String sql, Map<String, Long> into) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                into.put(rs.getString(1), rs.getLong(2));
            }
        }
    }

    private static void execute(String sql) throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
