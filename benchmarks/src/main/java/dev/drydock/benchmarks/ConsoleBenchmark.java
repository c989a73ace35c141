package dev.drydock.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import dev.drydock.api.LeaseRequest;
import dev.drydock.blueprint.localhost.LocalHostBlueprint;
import dev.drydock.core.ApiTokens;
import dev.drydock.core.Drydock;
import dev.drydock.core.TokenScope;
import dev.drydock.server.DrydockServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code bin/drydock-bench console}: how long the HTTP server takes to answer each console page and
 * API read (request sent to last byte received, one client, {@value #RUNS} runs each after
 * {@value #WARM_UP} unmeasured ones) on a database holding what a long-lived installation
 * accumulates: {@value #RESOURCES} resources and {@value #ARCHIVED} archived leases
 * ({@link LeaseHistory}) with {@value #LOG_ROWS} log rows, beside a live blueprint with a few leases.
 * Then, where Chromium is installed, each console page as the browser loads it (stylesheet, script,
 * parsing and layout included), signed in through the login form.
 */
final class ConsoleBenchmark {
    static final int RUNS = 30;
    static final int WARM_UP = 5;
    static final int BROWSER_RUNS = 15;
    static final long RESOURCES = 100_000;
    static final long ARCHIVED = 1_000_000;
    static final long LOG_ROWS = 1_000_000;

    private final BenchOptions options;

    ConsoleBenchmark(BenchOptions options) {
        this.options = options;
    }

    /** A page or API read: what it is called in the report, its path, and whether the console's login cookie reads it. */
    record Page(String name, String path, boolean console) {}

    void run() throws Exception {
        Path hosts = Files.createTempDirectory("drydock-console-bench-");
        try (BenchDatabase db = BenchDatabase.open(options); HikariDataSource pool = db.pool("bench-console", 16)) {
            System.out.println("database: " + db.describe());
            Drydock drydock = Drydock.builder(pool).register(new LocalHostBlueprint()).build();
            long started = System.nanoTime();
            LeaseHistory history = new LeaseHistory(pool);
            history.grow(RESOURCES, ARCHIVED);
            long archivedLease = addLogRows(pool);
            LeaseHistory.Counts counts = history.counts();
            System.out.printf(Locale.ROOT, "history: %,d resources, %,d leases, %,d log rows, written in %.0f s%n", counts.resources(),
                    counts.leases(), LOG_ROWS, (System.nanoTime() - started) / 1e9);
            drydock.blueprints().create("hosts", "local-host", "{\"root\": \"" + hosts + "\", \"capacity\": 2}", 2);
            List<Long> live = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                live.add(drydock.allocator().acquire(LeaseRequest.builder("host").build()).id());
            }
            ApiTokens.Created admin = drydock.apiTokens().create("console-bench", TokenScope.ADMIN);
            try (DrydockServer server = DrydockServer.builder(drydock).port(0).build().start()) {
                HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
                Reader reader = new Reader(http, server.uri(), admin.secret(), ConsoleLogin.cookie(http, server.uri(), admin.secret()));
                long resource = history.firstActiveResource();
                List<Page> pages = List.of(
                        new Page("overview", "/ui", true),
                        new Page("leases", "/ui/leases", true),
                        new Page("leases, DESTROYED", "/ui/leases?status=DESTROYED", true),
                        new Page("lease (live)", "/ui/leases/" + live.getFirst(), true),
                        new Page("lease (archived)", "/ui/leases/" + archivedLease, true),
                        new Page("resources", "/ui/resources", true),
                        new Page("resource", "/ui/resources/" + resource, true),
                        new Page("blueprints", "/ui/blueprints", true),
                        new Page("logs", "/ui/logs", true),
                        new Page("API status", "/v1/status", false),
                        new Page("API leases", "/v1/leases", false),
                        new Page("API resources", "/v1/resources", false),
                        new Page("API logs, blueprint", "/v1/logs?blueprint=hosts", false),
                        new Page("metrics", "/metrics", false));
                Map<String, double[]> results = new LinkedHashMap<>();
                System.out.printf(Locale.ROOT, "%-20s %-44s %8s %8s %8s %8s%n", "page", "path", "p50 ms", "p95 ms", "max ms", "KiB");
                for (Page page : pages) {
                    double[] r = reader.measure(page);
                    results.put(page.name(), r);
                    System.out.printf(Locale.ROOT, "%-20s %-44s %8.1f %8.1f %8.1f %8.1f%n", page.name(), page.path(), r[0], r[1], r[2], r[3]);
                }
                Map<String, Double> loads = browserLoads(server.uri(), admin.secret(), pages);
                StringBuilder json = new StringBuilder("{\"mode\":\"console\",\"resources\":" + counts.resources() + ",\"leases\":"
                        + counts.leases() + ",\"p50_ms\":{");
                results.forEach((name, r) -> json.append(String.format(Locale.ROOT, "\"%s\":%.1f,", name, r[0])));
                json.setLength(json.length() - 1);
                json.append("},\"browser_load_p50_ms\":{");
                loads.forEach((name, ms) -> json.append(String.format(Locale.ROOT, "\"%s\":%.1f,", name, ms)));
                if (!loads.isEmpty()) {
                    json.setLength(json.length() - 1);
                }
                System.out.println(json.append("}}"));
            } finally {
                drydock.close();
                if (options.dbUrl().isPresent()) {
                    history.remove();
                }
            }
        } finally {
            ScratchRoot.delete(hosts);
        }
    }

    /** Each console page loaded in Chromium: p50 of {@value #BROWSER_RUNS} after a warm-up, by the browser's own clock. */
    private static Map<String, Double> browserLoads(URI base, String token, List<Page> pages) {
        Map<String, Double> loads = new LinkedHashMap<>();
        Optional<BrowserTiming> found = BrowserTiming.signedIn(base, token);
        if (found.isEmpty()) {
            System.out.println("browser: no /usr/bin/chromium and /usr/bin/chromedriver, so no load times in a browser"
                    + " (apt-get install chromium chromium-driver)");
            return loads;
        }
        try (BrowserTiming browser = found.get()) {
            System.out.printf(Locale.ROOT, "in headless Chromium (navigation start -> load event, %d loads each):%n", BROWSER_RUNS);
            System.out.printf(Locale.ROOT, "%-20s %8s %8s %8s%n", "page", "p50 ms", "p95 ms", "max ms");
            for (Page page : pages.stream().filter(Page::console).toList()) {
                for (int i = 0; i < WARM_UP; i++) {
                    browser.load(page.path());
                }
                long[] micros = new long[BROWSER_RUNS];
                for (int i = 0; i < BROWSER_RUNS; i++) {
                    micros[i] = browser.load(page.path());
                }
                double p50 = Percentiles.ms(micros, BROWSER_RUNS, 50);
                loads.put(page.name(), p50);
                System.out.printf(Locale.ROOT, "%-20s %8.1f %8.1f %8.1f%n", page.name(), p50, Percentiles.ms(micros, BROWSER_RUNS, 95),
                        Percentiles.ms(micros, BROWSER_RUNS, 100));
            }
        }
        return loads;
    }

    /**
     * Log rows as the engine writes them, a few per archived lease, oldest first; returns an archived
     * lease that has some.
     */
    private static long addLogRows(HikariDataSource pool) throws SQLException {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.execute("""
                    INSERT INTO dd_log (at, lease_id, resource_id, message)
                    SELECT l.created_at + make_interval(secs => k), l.id, l.resource_id,
                           (ARRAY['requested', 'acquired resource ' || l.resource_id, 'active', 'released by its holder',
                                  'destroyed'])[k + 1]
                    FROM (SELECT id, resource_id, created_at FROM dd_lease WHERE status = 'DESTROYED' ORDER BY id LIMIT %d) l,
                         generate_series(0, 4) k
                    ORDER BY l.id, k""".formatted(LOG_ROWS / 5));
            s.execute("VACUUM ANALYZE dd_log");
            try (var rs = s.executeQuery("SELECT min(lease_id) FROM dd_log")) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Reads pages as the console's browser would (its cookie) or as an API client (the bearer token). */
    private record Reader(HttpClient http, URI base, String token, String cookie) {
        /** p50, p95 and max in ms, and the body's size in KiB. */
        double[] measure(Page page) throws Exception {
            HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(page.path())).timeout(Duration.ofSeconds(30));
            request = page.console() ? request.header("Cookie", cookie) : request.header("Authorization", "Bearer " + token);
            HttpRequest built = request.build();
            long[] micros = new long[RUNS];
            int size = 0;
            for (int i = -WARM_UP; i < RUNS; i++) {
                long t0 = System.nanoTime();
                HttpResponse<byte[]> response = http.send(built, HttpResponse.BodyHandlers.ofByteArray());
                long t = (System.nanoTime() - t0) / 1000;
                if (response.statusCode() != 200) {
                    throw new IllegalStateException(page.path() + " answered " + response.statusCode() + ": "
                            + new String(response.body(), java.nio.charset.StandardCharsets.UTF_8));
                }
                size = response.body().length;
                if (i >= 0) {
                    micros[i] = t;
                }
            }
            return new double[] {Percentiles.ms(micros, RUNS, 50), Percentiles.ms(micros, RUNS, 95), Percentiles.ms(micros, RUNS, 100),
                    size / 1024.0};
        }
    }
}
