package dev.drydock.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drydock.core.Drydock;
import dev.drydock.testing.Await;
import dev.drydock.testing.LeakCheck;
import dev.drydock.testing.PostgresExtension;
import dev.drydock.testing.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Listing resources and leases with filters over HTTP: {@code /v1/resources} and {@code /v1/leases}
 * by status, type and blueprint, newest first; {@code next} carries the filters, and walking the
 * pages while rows are added gives every older row once, none twice; a bad filter is a 400 naming it.
 */
@ExtendWith({PostgresExtension.class, LeakCheck.class})
class ListingApiTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static ServedDrydock fx;
    private static ApiClient api;
    private static String reader;
    private static final List<Long> alphaLeases = new ArrayList<>();
    private static final List<Long> betaLeases = new ArrayList<>();

    @BeforeAll
    static void start(TestDatabase database) {
        fx = new ServedDrydock(database);
        api = fx.api;
        reader = fx.reader;
        Drydock drydock = fx.drydock;
        drydock.blueprints().create("alpha", "local-host", fx.hostsConfig("alpha", 1), 3);
        drydock.blueprints().create("beta", "local-host", fx.hostsConfig("beta", 1), 2);
        drydock.blueprints().create("gamma", "local-host", fx.hostsConfig("gamma", 1), 1);
        for (int i = 0; i < 3; i++) {
            alphaLeases.add(acquire("alpha"));
        }
        for (int i = 0; i < 2; i++) {
            betaLeases.add(acquire("beta"));
        }
        for (long id : concat(alphaLeases, betaLeases)) {
            Await.until("lease " + id + " active", WAIT, () -> api.get(reader, "/v1/leases/" + id).json().path("status").asText().equals("ACTIVE"));
        }
    }

    @AfterAll
    static void stop() {
        fx.close();
    }

    @Test
    void resourcesAreListedNewestFirstByBlueprintTypeAndStatus() {
        JsonNode alpha = api.get(reader, "/v1/resources?blueprint=alpha").json();
        assertThat(alpha.path("resources")).hasSize(3).allSatisfy(r -> assertThat(r.path("blueprint").asText()).isEqualTo("alpha"));
        assertThat(ids(alpha, "resources")).isSortedAccordingTo((a, b) -> Long.compare(b, a));
        assertThat(alpha.path("next").isNull()).as("fewer than a page: the last page").isTrue();

        JsonNode betaActive = api.get(reader, "/v1/resources?blueprint=beta&status=active&type=host").json();
        assertThat(betaActive.path("resources")).hasSize(2).allSatisfy(r -> {
            assertThat(r.path("blueprint").asText()).isEqualTo("beta");
            assertThat(r.path("status").asText()).isEqualTo("ACTIVE");
        });
        assertThat(api.get(reader, "/v1/resources?status=DESTROYED&blueprint=alpha").json().path("resources")).isEmpty();
        assertThat(api.get(reader, "/v1/resources?type=teapot").json().path("resources")).as("a type nothing has: an empty page").isEmpty();

        JsonNode paged = api.get(reader, "/v1/resources?blueprint=alpha&limit=2").json();
        assertThat(paged.path("resources")).hasSize(2);
        assertThat(paged.path("next").asText()).isEqualTo("/v1/resources?blueprint=alpha&limit=2&before=" + ids(paged, "resources").getLast());
        assertThat(ids(api.get(reader, paged.path("next").asText()).json(), "resources")).as("the rest of alpha's, and only alpha's")
                .containsExactly(ids(alpha, "resources").getLast());
    }

    @Test
    void leasesAreFilteredByTypeAndBlueprintAndNextKeepsTheFilters() {
        JsonNode alpha = api.get(reader, "/v1/leases?blueprint=alpha&type=host&limit=2").json();
        assertThat(ids(alpha, "leases")).containsExactly(alphaLeases.get(2), alphaLeases.get(1));
        assertThat(alpha.path("next").asText()).isEqualTo("/v1/leases?type=host&blueprint=alpha&limit=2&before=" + alphaLeases.get(1));
        assertThat(ids(api.get(reader, alpha.path("next").asText()).json(), "leases")).containsExactly(alphaLeases.get(0));

        assertThat(ids(api.get(reader, "/v1/leases?blueprint=beta&status=ACTIVE").json(), "leases"))
                .containsExactly(betaLeases.get(1), betaLeases.get(0));
        assertThat(api.get(reader, "/v1/leases?type=webroot").json().path("leases")).isEmpty();
    }

    @Test
    void badFiltersAreA400NamingThem() {
        record Case(String path, String field, String message) {}
        for (Case c : List.of(
                new Case("/v1/resources?blueprint=nope", "blueprint", "there is no blueprint named 'nope'"),
                new Case("/v1/leases?blueprint=nope", "blueprint", "there is no blueprint named 'nope'"),
                new Case("/v1/resources?status=SLEEPING", "status", "unknown status 'SLEEPING'"),
                new Case("/v1/resources?limit=1001", "limit", "'limit' must be a whole number from 1 to 1000"),
                new Case("/v1/resources?before=x", "before", "'before' must be a whole number"))) {
            ApiClient.Answer answer = api.get(reader, c.path());
            assertThat(answer.status()).as(c.path()).isEqualTo(400);
            assertThat(answer.json().path("field").asText()).as(c.path()).isEqualTo(c.field());
            assertThat(answer.message()).as(c.path()).contains(c.message()).doesNotContain("Exception");
        }
    }

    @Test
    void walkingThePagesWhileResourcesAreAddedGivesEveryOlderOneOnce() {
        Set<Long> before = new LinkedHashSet<>(ids(api.get(reader, "/v1/resources?limit=1000").json(), "resources"));
        List<Long> walked = new ArrayList<>();
        List<Long> added = new ArrayList<>();
        String next = "/v1/resources?limit=2";
        while (!next.isEmpty()) {
            JsonNode page = api.get(reader, next).json();
            walked.addAll(ids(page, "resources"));
            if (added.isEmpty()) { // a newer resource while the walk is under way
                long lease = acquire("gamma");
                Await.until("a gamma resource", WAIT, () -> api.get(reader, "/v1/resources?blueprint=gamma").json().path("resources").size() == 1);
                added.add(lease);
            }
            next = page.path("next").asText("");
        }
        assertThat(walked).as("no resource twice").doesNotHaveDuplicates();
        assertThat(walked).as("every resource that existed when the walk began, newest first").containsExactlyElementsOf(before);
    }

    private static long acquire(String blueprint) {
        ApiClient.Answer answer = api.post(fx.leaser, "/v1/leases", "{\"type\": \"host\", \"blueprints\": [\"" + blueprint + "\"]}");
        assertThat(answer.status()).as(answer.json().toString()).isEqualTo(201);
        return answer.json().path("id").asLong();
    }

    private static List<Long> ids(JsonNode page, String key) {
        List<Long> ids = new ArrayList<>();
        page.path(key).forEach(item -> ids.add(item.path("id").asLong()));
        return ids;
    }

    private static List<Long> concat(List<Long> a, List<Long> b) {
        List<Long> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
