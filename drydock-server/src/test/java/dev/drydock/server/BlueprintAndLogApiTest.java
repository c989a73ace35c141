package dev.drydock.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.testing.LeakCheck;
import dev.drydock.testing.PostgresExtension;
import dev.drydock.testing.TestDatabase;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Blueprint administration and the history over HTTP: an admin token creates, updates, disables
 * and enables a blueprint (a read or lease token gets 403 and nothing changes; a bad configuration
 * is a 400 naming its field); the history pages after an id, and following it as Server-Sent Events
 * delivers a lease's transitions as they happen and resumes after {@code Last-Event-ID}.
 */
@ExtendWith({PostgresExtension.class, LeakCheck.class})
class BlueprintAndLogApiTest {
    private static ServedDrydock fx;
    private static TestDatabase db;
    private static ApiClient api;
    private static String reader;
    private static String leaser;
    private static String admin;

    @BeforeAll
    static void start(TestDatabase database) {
        fx = new ServedDrydock(database);
        db = database;
        api = fx.api;
        reader = fx.reader;
        leaser = fx.leaser;
        admin = fx.admin;
    }

    @AfterAll
    static void stop() {
        fx.close();
    }

    @Test
    void anAdminTokenAdministersBlueprintsAndOthersChangeNothing() {
        String body = "{\"name\": \"hosts\", \"type\": \"local-host\", \"config\": " + fx.hostsConfig("hosts", 2) + ", \"limit\": 2}";
        assertThat(api.post(leaser, "/v1/blueprints", body).status()).isEqualTo(403);
        assertThat(api.get(reader, "/v1/blueprints/hosts").status()).as("not created").isEqualTo(404);

        ApiClient.Answer created = api.post(admin, "/v1/blueprints", body);
        assertThat(created.status()).as(created.json().toString()).isEqualTo(201);
        assertThat(created.json().path("limit").asInt()).isEqualTo(2);
        assertThat(created.json().path("placement").asText()).as("the default").isEqualTo("binpack");
        ApiClient.Answer bad = api.post(admin, "/v1/blueprints",
                "{\"name\": \"bad\", \"type\": \"local-host\", \"config\": {\"root\": \"relative\", \"capacity\": 1}}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().path("field").asText()).isEqualTo("config.root");
        assertThat(api.post(admin, "/v1/blueprints", "{\"name\": \"x\", \"type\": \"local-host\", \"config\": 5}").json().path("field").asText())
                .isEqualTo("config");

        assertThat(api.put(reader, "/v1/blueprints/hosts", "{\"limit\": 5}").status()).isEqualTo(403);
        assertThat(api.put(admin, "/v1/blueprints/hosts", "{\"limit\": 5}").json().path("limit").asInt()).isEqualTo(5);
        assertThat(api.put(admin, "/v1/blueprints/hosts", "{\"limit\": \"many\"}").json().path("field").asText()).isEqualTo("limit");
        ApiClient.Answer unknown = api.put(admin, "/v1/blueprints/hosts", "{\"placement\": \"nearest\"}");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().path("field").asText()).isEqualTo("placement");
        assertThat(unknown.json().path("message").asText()).contains("'nearest'").contains("binpack, spread");
        assertThat(api.put(admin, "/v1/blueprints/hosts", "{\"placement\": \"spread\"}").json().path("placement").asText()).isEqualTo("spread");
        assertThat(api.post(admin, "/v1/blueprints/hosts/disable", "").json().path("enabled").asBoolean()).isFalse();
        assertThat(api.get(reader, "/v1/blueprints").json().path("blueprints")).anySatisfy(b -> {
            assertThat(b.path("name").asText()).isEqualTo("hosts");
            assertThat(b.path("enabled").asBoolean()).isFalse();
        });
        assertThat(api.post(admin, "/v1/blueprints/hosts/enable", "").json().path("enabled").asBoolean()).isTrue();
        assertThat(api.post(admin, "/v1/blueprints/nope/enable", "").status()).isEqualTo(404);
        assertThat(db.queryLong("SELECT count(*) FROM dd_blueprint WHERE name IN ('bad', 'x')")).isZero();
    }

    @Test
    void anAdminTokenSetsAWarmPoolAndEveryTokenReadsWhatThePlannerSays() {
        api.post(admin, "/v1/blueprints", "{\"name\": \"warm\", \"type\": \"local-host\", \"config\": " + fx.hostsConfig("w", 1)
                + ", \"limit\": 3}");
        assertThat(api.put(leaser, "/v1/blueprints/warm/warm-pools", "{\"minReady\": 1}").status()).isEqualTo(403);
        ApiClient.Answer bad = api.put(admin, "/v1/blueprints/warm/warm-pools", "{\"minReady\": 1, \"maxReadyAge\": \"soon\"}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().path("field").asText()).isEqualTo("maxReadyAge");
        assertThat(api.put(admin, "/v1/blueprints/warm/warm-pools", "{\"minReady\": -2}").json().path("field").asText()).isEqualTo("minReady");
        assertThat(db.queryLong("SELECT count(*) FROM dd_warm_pool")).as("nothing stored by refusals").isZero();

        ApiClient.Answer set = api.put(admin, "/v1/blueprints/warm/warm-pools", "{\"minReady\": 1, \"maxReadyAge\": \"1h\"}");
        assertThat(set.status()).as(set.json().toString()).isEqualTo(200);
        assertThat(set.json().path("minReady").asInt()).isEqualTo(1);
        assertThat(set.json().path("maxReadyAge").asText()).isEqualTo("1h");
        dev.drydock.testing.Await.until("the planner says the pool is met", java.time.Duration.ofSeconds(30), () ->
                api.get(reader, "/v1/blueprints/warm/warm-pools").json().path("warmPools").path(0).path("status").asText()
                        .equals("warm: 1 of 1 ready idle, building 0"));
        assertThat(api.get(reader, "/v1/status").json().path("warmPools").path(0).path("blueprint").asText()).isEqualTo("warm");
        assertThat(api.put(admin, "/v1/blueprints/warm/warm-pools", "{\"minReady\": 0}").status()).isEqualTo(200);
    }

    @Test
    void theHistoryPagesAndFollowsAsServerSentEventsResumingAfterTheLastId() throws Exception {
        api.post(admin, "/v1/blueprints", "{\"name\": \"followed\", \"type\": \"local-host\", \"config\": " + fx.hostsConfig("f", 2)
                + ", \"limit\": 1}");
        long before = api.get(reader, "/v1/logs?limit=1000").json().path("last").asLong();
        List<String> events = new ArrayList<>();
        CompletableFuture<Void> following;
        try (Stream<String> lines = api.lines(reader, "/v1/logs/follow?after=" + before, null)) {
            Iterator<String> it = lines.iterator();
            following = CompletableFuture.runAsync(() -> {
                while (it.hasNext()) {
                    String line = it.next();
                    synchronized (events) {
                        events.add(line);
                    }
                    if (line.contains("ACQUIRED -> ACTIVE")) {
                        return;
                    }
                }
            });
            long id = api.post(leaser, "/v1/leases", "{\"type\": \"host\", \"blueprints\": [\"followed\"]}").json().path("id").asLong();
            following.get(60, TimeUnit.SECONDS);
            synchronized (events) {
                assertThat(events).anySatisfy(l -> assertThat(l).startsWith("event: log"))
                        .anySatisfy(l -> assertThat(l).startsWith("data: ").contains("\"lease\":" + id).contains("PENDING -> ACQUIRED"))
                        .anySatisfy(l -> assertThat(l).startsWith("id: "));
            }
            api.post(leaser, "/v1/leases/" + id + "/release", "");
        }

        ApiClient.Answer page = api.get(reader, "/v1/logs?after=" + before + "&limit=2");
        assertThat(page.json().path("entries")).hasSize(2);
        long second = page.json().path("last").asLong();
        ApiClient.Answer next = api.get(reader, "/v1/logs?after=" + second + "&limit=1");
        assertThat(next.json().path("entries").get(0).path("id").asLong()).isGreaterThan(second);

        try (Stream<String> resumed = api.lines(reader, "/v1/logs/follow", Long.toString(second))) {
            String firstId = resumed.filter(l -> l.startsWith("id: ")).findFirst().orElseThrow();
            assertThat(Long.parseLong(firstId.substring(4).strip())).as("resumes right after Last-Event-ID")
                    .isEqualTo(next.json().path("entries").get(0).path("id").asLong());
        }
        assertThat(api.get(reader, "/v1/logs?lease=abc").json().path("field").asText()).isEqualTo("lease");
        assertThat(api.get(reader, "/v1/logs/follow").status()).as("without Accept: text/event-stream").isEqualTo(406);
    }
}
