package dev.drydock.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drydock.core.Drydock;
import dev.drydock.core.TokenScope;
import dev.drydock.testing.Await;
import dev.drydock.testing.LeakCheck;
import dev.drydock.testing.PostgresExtension;
import dev.drydock.testing.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The lease routes on the wire, with a real taskmaster and local-host blueprint: acquire answers at
 * once, a long-poll answers as soon as the lease becomes active, release and why work for the
 * holder; tokens are checked (none, wrong, revoked: 401; read token acquiring or releasing, another
 * holder's token: 403), bad input is a 400 naming the field that changes nothing, and pages stay
 * stable while leases are added.
 */
@ExtendWith({PostgresExtension.class, LeakCheck.class})
class LeaseApiTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static ServedDrydock fx;
    private static TestDatabase db;
    private static Drydock drydock;
    private static ApiClient api;
    private static String reader;
    private static String holder;
    private static String other;
    private static String admin;

    @BeforeAll
    static void start(TestDatabase database) {
        fx = new ServedDrydock(database);
        db = database;
        drydock = fx.drydock;
        drydock.blueprints().create("local", "local-host", fx.hostsConfig("local", 8), 1);
        api = fx.api;
        reader = fx.reader;
        holder = fx.leaser;
        other = drydock.apiTokens().create("other", TokenScope.LEASE).secret();
        admin = fx.admin;
    }

    @AfterAll
    static void stop() {
        fx.close();
    }

    @Test
    void aLeaseIsAcquiredAtOnceWatchedUntilActiveExplainedAndReleasedByItsHolder() {
        ApiClient.Answer acquired = api.post(holder, "/v1/leases", "{\"type\": \"host\", \"blueprints\": [\"local\"], \"ttl\": \"1h\"}");
        assertThat(acquired.status()).as(acquired.json().toString()).isEqualTo(201);
        long id = acquired.json().path("id").asLong();
        assertThat(acquired.response().headers().firstValue("Location")).contains("/v1/leases/" + id);
        assertThat(acquired.json().path("status").asText()).isIn("PENDING", "ACQUIRED", "ACTIVE");

        ApiClient.Answer active = api.get(reader, "/v1/leases/" + id + "?wait=30s&seen=PENDING");
        String status = active.json().path("status").asText();
        if (!status.equals("ACTIVE")) {
            active = api.get(reader, "/v1/leases/" + id + "?wait=30s&seen=" + status);
        }
        assertThat(active.json().path("status").asText()).isEqualTo("ACTIVE");
        assertThat(active.json().path("blueprint").asText()).isEqualTo("local");

        ApiClient.Answer unchanged = api.get(reader, "/v1/leases/" + id + "?wait=1s&seen=ACTIVE");
        assertThat(unchanged.status()).isEqualTo(200);
        assertThat(unchanged.json().path("status").asText()).as("a wait that ends unchanged answers as it is").isEqualTo("ACTIVE");

        ApiClient.Answer why = api.get(reader, "/v1/leases/" + id + "/why");
        assertThat(why.json().path("statusReason").asText()).isNotBlank();

        ApiClient.Answer released = api.post(holder, "/v1/leases/" + id + "/release", "");
        assertThat(released.status()).isEqualTo(202);
        Await.until("released", WAIT, () -> api.get(reader, "/v1/leases/" + id).json().path("status").asText().matches("RELEASED|DESTROYED"));
        assertThat(api.get(reader, "/v1/leases/" + id).json().path("statusReason").asText()).contains("released by its holder");
    }

    @Test
    void tokensAreCheckedAndARefusedRequestChangesNothing() {
        long id = api.post(holder, "/v1/leases", "{\"type\": \"host\"}").json().path("id").asLong();
        long leases = db.queryLong("SELECT count(*) FROM dd_lease");

        assertThat(api.get(null, "/v1/leases/" + id).status()).isEqualTo(401);
        assertThat(api.get("ddt_" + "x".repeat(43), "/v1/leases/" + id).status()).isEqualTo(401);
        assertThat(api.get("Basic abc", "/v1/status").status()).isEqualTo(401);
        ApiClient.Answer readerAcquires = api.post(reader, "/v1/leases", "{\"type\": \"host\"}");
        assertThat(readerAcquires.status()).isEqualTo(403);
        assertThat(readerAcquires.message()).isEqualTo("token reader has scope read: this needs scope lease or admin");
        assertThat(api.post(reader, "/v1/leases/" + id + "/release", "").status()).isEqualTo(403);
        ApiClient.Answer otherReleases = api.post(other, "/v1/leases/" + id + "/release", "");
        assertThat(otherReleases.status()).isEqualTo(403);
        assertThat(otherReleases.message()).contains("was not acquired with token other");
        assertThat(db.queryLong("SELECT count(*) FROM dd_lease")).as("no lease made").isEqualTo(leases);
        assertThat(api.get(reader, "/v1/leases/" + id).json().path("status").asText()).as("not released").isNotIn("RELEASED", "DESTROYED");

        String revoked = drydock.apiTokens().create("short-lived", TokenScope.ADMIN).secret();
        assertThat(api.get(revoked, "/v1/status").status()).isEqualTo(200);
        drydock.apiTokens().revoke("short-lived");
        assertThat(api.get(revoked, "/v1/status").status()).isEqualTo(401);

        assertThat(api.post(admin, "/v1/leases/" + id + "/release", "").status()).as("an admin token releases any lease").isEqualTo(202);
        assertThat(api.get(reader, "/v1/leases/" + id).json().path("statusReason").asText()).contains("released by operator token admin");
        assertThat(api.get(null, "/healthz").status()).as("the one open route").isEqualTo(200);
    }

    @Test
    void badInputIsA400NamingTheFieldAndStoresNothing() {
        long leases = db.queryLong("SELECT count(*) FROM dd_lease");
        record Case(String body, String field, String message) {}
        List<Case> cases = List.of(
                new Case("{\"blueprints\": [\"local\"]}", "type", "'type' is required"),
                new Case("{\"type\": \"host\", \"colour\": \"red\"}", "colour", "unknown field 'colour'"),
                new Case("{\"type\": \"host\", \"ttl\": \"soon\"}", "ttl", "'soon' is not a duration"),
                new Case("{\"type\": \"host\", \"attributes\": {\"os\": 12}}", "attributes", "'attributes.os' must be a string"),
                new Case("{\"type\": \"host\", \"blueprints\": [\"nope\"]}", "blueprints", "nope"),
                new Case("{\"type\": \"teapot\"}", "type", "teapot"));
        for (Case c : cases) {
            ApiClient.Answer answer = api.post(holder, "/v1/leases", c.body());
            assertThat(answer.status()).as(c.body() + " -> " + answer.json()).isEqualTo(400);
            assertThat(answer.error()).isEqualTo("bad_request");
            assertThat(answer.json().path("field").asText()).as(c.body()).isEqualTo(c.field());
            assertThat(answer.message()).as(c.body()).contains(c.message()).doesNotContain("Exception").doesNotContain("SELECT");
        }
        assertThat(api.post(holder, "/v1/leases", "{not json").json().path("error").asText()).isEqualTo("bad_request");
        assertThat(api.get(reader, "/v1/leases/abc").json().path("field").asText()).isEqualTo("id");
        assertThat(api.get(reader, "/v1/leases?limit=0").json().path("field").asText()).isEqualTo("limit");
        assertThat(api.get(reader, "/v1/leases?status=SLEEPING").json().path("field").asText()).isEqualTo("status");
        assertThat(api.get(reader, "/v1/leases/1?wait=5m").json().path("field").asText()).isEqualTo("wait");
        assertThat(api.get(reader, "/v1/leases/999999999").status()).isEqualTo(404);
        assertThat(api.get(reader, "/v1/nothing-here").status()).isEqualTo(404);
        assertThat(db.queryLong("SELECT count(*) FROM dd_lease")).as("nothing stored").isEqualTo(leases);
    }

    @Test
    void pagesAreNewestFirstAndStayStableWhileLeasesAreAdded() {
        List<Long> made = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            made.add(api.post(holder, "/v1/leases", "{\"type\": \"host\", \"attributes\": {\"page\": \"p\"}}").json().path("id").asLong());
        }
        ApiClient.Answer first = api.get(reader, "/v1/leases?limit=2");
        List<Long> firstIds = ids(first.json());
        assertThat(firstIds).hasSize(2).isSortedAccordingTo((a, b) -> Long.compare(b, a));
        api.post(holder, "/v1/leases", "{\"type\": \"host\"}"); // a newer one must not shift the next page
        ApiClient.Answer second = api.get(reader, first.json().path("next").asText());
        List<Long> secondIds = ids(second.json());
        assertThat(secondIds).as("the two just below the first page, as if nothing had been added").isEqualTo(List.of(
                db.queryLong("SELECT max(id) FROM dd_lease WHERE id < " + firstIds.getLast()),
                db.queryLong("SELECT max(id) FROM dd_lease WHERE id < (SELECT max(id) FROM dd_lease WHERE id < " + firstIds.getLast() + ")")));
        assertThat(made).containsAll(firstIds);
        assertThat(api.get(reader, "/v1/leases?limit=1000").json().path("next").isNull()).as("the last page says so").isTrue();
    }

    private static List<Long> ids(JsonNode page) {
        List<Long> ids = new ArrayList<>();
        page.path("leases").forEach(l -> ids.add(l.path("id").asLong()));
        return ids;
    }
}
