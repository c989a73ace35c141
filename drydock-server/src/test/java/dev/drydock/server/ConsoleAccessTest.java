package dev.drydock.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.core.TokenScope;
import dev.drydock.testing.LeakCheck;
import dev.drydock.testing.PostgresExtension;
import dev.drydock.testing.TestDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The console's sign-in and its guards on the wire, as a browser's requests would look: the cookie
 * is HttpOnly, SameSite=Strict and confined to /ui; a form posted from another site, or with no
 * origin at all, changes nothing; only a lease's holder token or an admin sees and may use its release; the cookie opens no API route (those stay bearer-only); a revoked
 * token's cookie signs nobody in; and errors under /ui are pages while the API's stay JSON.
 */
@ExtendWith({PostgresExtension.class, LeakCheck.class})
class ConsoleAccessTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static ServedDrydock fx;
    private static TestDatabase db;
    private static URI base;

    @BeforeAll
    static void start(TestDatabase database) {
        db = database;
        fx = new ServedDrydock(database);
        base = fx.server.uri();
        fx.drydock.blueprints().create("kept", "local-host", fx.hostsConfig("kept", 1), 1);
    }

    @AfterAll
    static void stop() {
        fx.close();
    }

    @Test
    void signingInSetsACookieOnlyTheConsoleGetsAndNoScriptReads() {
        HttpResponse<String> refused = post("/ui/login", "token=" + encode("ddt_" + "y".repeat(43)), base.toString(), null);
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.body()).contains("not valid");
        assertThat(refused.headers().allValues("Set-Cookie")).isEmpty();

        HttpResponse<String> signedIn = post("/ui/login", "token=" + encode(fx.admin), base.toString(), null);
        assertThat(signedIn.statusCode()).isEqualTo(303);
        assertThat(signedIn.headers().firstValue("Location")).contains("/ui");
        String cookie = signedIn.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(cookie).startsWith("drydock_console=ddt_").containsIgnoringCase("HttpOnly")
                .containsIgnoringCase("SameSite=Strict").containsIgnoringCase("Path=/ui");
        assertThat(get("/ui/blueprints", cookie(cookie)).statusCode()).isEqualTo(200);
        assertThat(get("/v1/status", cookie(cookie)).statusCode()).as("the API takes bearer tokens only").isEqualTo(401);
    }

    @Test
    void aFormFromAnotherSiteOrFromNowhereChangesNothing() {
        String cookie = "drydock_console=" + fx.admin;
        HttpResponse<String> crossSite = post("/ui/blueprints/kept/disable", "", "http://attacker.example", cookie);
        assertThat(crossSite.statusCode()).isEqualTo(403);
        assertThat(crossSite.body()).contains("did not come from a page of this console");
        assertThat(post("/ui/blueprints/kept/disable", "", null, cookie).statusCode()).as("no Origin, no Referer").isEqualTo(403);
        assertThat(db.queryLong("SELECT count(*) FROM dd_blueprint WHERE name = 'kept' AND enabled")).isEqualTo(1);

        assertThat(post("/ui/blueprints/kept/disable", "", base.toString(), cookie).statusCode()).as("from the console itself")
                .isEqualTo(303);
        assertThat(db.queryLong("SELECT count(*) FROM dd_blueprint WHERE name = 'kept' AND NOT enabled")).isEqualTo(1);
        assertThat(post("/ui/blueprints/kept/enable", "", base + "/ui/blueprints", cookie).statusCode()).as("by Referer")
                .isEqualTo(303);
    }

    @Test
    void onlyTheHoldingTokenOrAnAdminGetsTheReleaseButtonAndMayRelease() {
        fx.drydock.blueprints().create("held", "local-host", fx.hostsConfig("held", 1), 1);
        String other = fx.drydock.apiTokens().create("other-holder", TokenScope.LEASE).secret();
        ApiClient.Answer acquired = fx.api.post(fx.leaser, "/v1/leases", "{\"type\": \"host\", \"blueprints\": [\"held\"]}");
        long id = acquired.json().path("id").asLong();
        String page = "/ui/leases/" + id;
        assertThat(get(page, "drydock_console=" + fx.leaser).body()).contains("id=\"release\"");
        assertThat(get(page, "drydock_console=" + fx.admin).body()).contains("id=\"release\"");
        assertThat(get(page, "drydock_console=" + other).body()).doesNotContain("id=\"release\"");
        assertThat(get(page, "drydock_console=" + fx.reader).body()).doesNotContain("id=\"release\"");

        HttpResponse<String> refused = post(page + "/release", "", base.toString(), "drydock_console=" + other);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("only the token that acquired it, or an admin token");
        assertThat(fx.drydock.allocator().find(id).orElseThrow().status().isDone()).isFalse();
        assertThat(post(page + "/release", "", base.toString(), "drydock_console=" + fx.leaser).statusCode()).isEqualTo(303);
        assertThat(fx.drydock.allocator().find(id).orElseThrow().status().isDone()).isTrue();
    }

    @Test
    void aRevokedTokensCookieSignsNobodyIn() {
        String secret = fx.drydock.apiTokens().create("short-lived", TokenScope.ADMIN).secret();
        assertThat(get("/ui", "drydock_console=" + secret).statusCode()).isEqualTo(200);
        fx.drydock.apiTokens().revoke("short-lived");
        HttpResponse<String> after = get("/ui", "drydock_console=" + secret);
        assertThat(after.statusCode()).isEqualTo(303);
        assertThat(after.headers().firstValue("Location")).contains("/ui/login");
    }

    @Test
    void consoleErrorsArePagesAndApiErrorsStayJson() {
        String cookie = "drydock_console=" + fx.reader;
        HttpResponse<String> missing = get("/ui/leases/999999", cookie);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        assertThat(missing.body()).contains("999999").doesNotContain("Exception");
        HttpResponse<String> badFilter = get("/ui/leases?status=sleeping", cookie);
        assertThat(badFilter.statusCode()).isEqualTo(400);
        assertThat(badFilter.body()).contains("sleeping");
        assertThat(get("/ui/nowhere", cookie).body()).contains("There is no page /ui/nowhere");
        HttpResponse<String> api = get("/v1/nowhere", null);
        assertThat(api.statusCode()).isEqualTo(404);
        assertThat(api.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        assertThat(get("/ui/static/console.css", null).statusCode()).as("static files need no sign-in").isEqualTo(200);
    }

    private static String cookie(String setCookie) {
        return setCookie.substring(0, setCookie.indexOf(';'));
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static HttpResponse<String> get(String path, String cookie) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).GET();
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        return send(request);
    }

    /** A form post as a browser sends it: {@code origin} its Origin header (a URL with a path goes as Referer). */
    private static HttpResponse<String> post(String path, String form, String origin, String cookie) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form));
        if (origin != null) {
            request.header(URI.create(origin).getPath().isEmpty() ? "Origin" : "Referer", origin);
        }
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        return send(request);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

}
