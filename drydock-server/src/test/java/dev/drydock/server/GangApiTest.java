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
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The gang routes on the wire (docs/planner.md), with a real taskmaster and local-host
 * blueprint: a gang is requested at once, watched with a long-poll until all its members are active
 * together, released by its holder (another lease token may not), and bad input is a 400 naming the
 * member and field that stores nothing.
 */
@ExtendWith({PostgresExtension.class, LeakCheck.class})
class GangApiTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static ServedDrydock fx;
    private static TestDatabase db;
    private static ApiClient api;
    private static String other;

    @BeforeAll
    static void start(TestDatabase database) {
        fx = new ServedDrydock(database);
        db = database;
        Drydock drydock = fx.drydock;
        drydock.blueprints().create("local", "local-host", fx.hostsConfig("local", 8), 1);
        api = fx.api;
        other = drydock.apiTokens().create("other", TokenScope.LEASE).secret();
    }

    @AfterAll
    static void stop() {
        fx.close();
    }

    @Test
    void aGangIsRequestedAtOnceWatchedUntilAllAreActiveAndReleasedByItsHolder() {
        ApiClient.Answer requested = api.post(fx.leaser, "/v1/gangs", "{\"members\": [{\"type\": \"host\"}, {\"type\": \"host\", \"deadline\": \"5m\"}]}");
        assertThat(requested.status()).as(requested.json().toString()).isEqualTo(201);
        long id = requested.json().path("id").asLong();
        assertThat(requested.response().headers().firstValue("Location")).contains("/v1/gangs/" + id);
        assertThat(requested.json().path("members")).hasSize(2);

        JsonNode gang = requested.json();
        for (int i = 0; i < 5 && !gang.path("status").asText().equals("ACTIVE"); i++) {
            gang = api.get(fx.reader, "/v1/gangs/" + id + "?wait=30s&seen=" + gang.path("status").asText()).json();
        }
        assertThat(gang.path("status").asText()).isEqualTo("ACTIVE");
        assertThat(gang.path("members")).allSatisfy(m -> assertThat(m.path("status").asText()).isEqualTo("ACTIVE"));
        long member = gang.path("members").get(0).path("id").asLong();
        assertThat(api.get(fx.reader, "/v1/leases/" + member).json().path("status").asText()).as("members are leases too").isEqualTo("ACTIVE");

        ApiClient.Answer refused = api.post(other, "/v1/gangs/" + id + "/release", "");
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.message()).contains("was not acquired with token other");

        ApiClient.Answer released = api.post(fx.leaser, "/v1/gangs/" + id + "/release", "");
        assertThat(released.status()).isEqualTo(202);
        Await.until("the gang ended", WAIT, () -> api.get(fx.reader, "/v1/gangs/" + id).json().path("status").asText().equals("ENDED"));
        assertThat(api.get(fx.reader, "/v1/gangs/999999").status()).isEqualTo(404);
    }

    @Test
    void badInputIsA400NamingTheMemberAndFieldAndStoresNothing() {
        long gangs = db.queryLong("SELECT count(*) FROM dd_gang");
        long leases = db.queryLong("SELECT count(*) FROM dd_lease");
        record Case(String body, String field, String message) {}
        List<Case> cases = List.of(
                new Case("{}", "members", "'members' must be a non-empty array of objects"),
                new Case("{\"members\": []}", "members", "'members' must be a non-empty array of objects"),
                new Case("{\"members\": [{\"type\": \"host\"}, {\"blueprints\": [\"local\"]}]}", "members[1].type", "'type' is required"),
                new Case("{\"members\": [{\"type\": \"host\", \"colour\": \"red\"}]}", "members[0].colour", "unknown field 'colour'"),
                new Case("{\"members\": [{\"type\": \"host\", \"deadline\": \"soon\"}]}", "members[0].deadline", "deadline"),
                new Case("{\"members\": [{\"type\": \"boat\"}]}", "members[0].type", "no blueprint builds resources of type 'boat'"));
        for (Case c : cases) {
            ApiClient.Answer answer = api.post(fx.leaser, "/v1/gangs", c.body());
            assertThat(answer.status()).as(c.body() + " -> " + answer.json()).isEqualTo(400);
            assertThat(answer.json().path("field").asText()).as(c.body()).isEqualTo(c.field());
            assertThat(answer.message()).as(c.body()).contains(c.message());
        }
        assertThat(db.queryLong("SELECT count(*) FROM dd_gang")).as("no gang stored").isEqualTo(gangs);
        assertThat(db.queryLong("SELECT count(*) FROM dd_lease")).as("no lease stored").isEqualTo(leases);
    }
}
