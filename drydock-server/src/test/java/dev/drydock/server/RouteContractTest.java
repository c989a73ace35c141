package dev.drydock.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.core.TokenScope;
import dev.drydock.testing.PostgresExtension;
import dev.drydock.testing.TestDatabase;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What every route of the table promises, checked route by route from the table itself, so a route
 * added later is held to it too: no token, a malformed or unknown one, and one of too low a scope are
 * refused with the API's JSON error (401, 401, 403) before anything is done; a body that is not JSON
 * is a 4xx, and a body sent to a route that takes none or a query parameter it does not document
 * is refused rather than ignored; and no
 * refused request changes what the database holds.
 */
@ExtendWith(PostgresExtension.class)
class RouteContractTest {
    private static ServedDrydock served;
    private static long leaseId;

    @BeforeAll
    static void serve(TestDatabase db) {
        served = new ServedDrydock(db);
        served.api.post(served.admin, "/v1/blueprints", "{\"name\": \"hosts\", \"type\": \"local-host\", \"limit\": 1, \"config\": "
                + served.hostsConfig("hosts", 2) + "}");
        ApiClient.Answer lease = served.api.post(served.leaser, "/v1/leases", "{\"type\": \"host\"}");
        assertThat(lease.status()).as(lease.json().toString()).isEqualTo(201);
        leaseId = lease.json().path("id").asLong();
    }

    @AfterAll
    static void stop() {
        served.close();
    }

    @Test
    void everyRouteRefusesCallersWithoutTheScopeItNamesAndChangesNothing() {
        SoftAssertions softly = new SoftAssertions();
        String before = state();
        for (Route route : served.server.routes()) {
            String path = concrete(route.path());
            String name = route.method() + " " + route.path();
            if (route.scope().isEmpty()) {
                softly.assertThat(call(route, path, Optional.empty(), "{}").statusCode()).as(name + " is open").isEqualTo(200);
                continue;
            }
            expectError(softly, name + " without a token", call(route, path, Optional.empty(), "{}"), 401, "unauthorized");
            expectError(softly, name + " with a token that is not one", call(route, path, Optional.of("Bearer nonsense"), "{}"), 401,
                    "unauthorized");
            expectError(softly, name + " with an unknown token", call(route, path, Optional.of("Bearer ddt_" + "0".repeat(43)), "{}"), 401,
                    "unauthorized");
            expectError(softly, name + " with a Basic credential", call(route, path, Optional.of("Basic YWRtaW46YWRtaW4="), "{}"), 401,
                    "unauthorized");
            String misspelt = path + (path.contains("?") ? "&" : "?") + "stauts=ACTIVE";
            HttpResponse<byte[]> unknown = call(route, misspelt, Optional.of("Bearer " + served.admin), "{}");
            expectError(softly, name + " with an unknown query parameter", unknown, 400, "bad_request");
            softly.assertThat(ApiClient.json(body(unknown)).path("field").asText()).as(name + " names it").isEqualTo("stauts");
            for (Map.Entry<TokenScope, String> token : tokens().entrySet()) {
                if (!token.getKey().includes(route.scope().get())) {
                    expectError(softly, name + " with a " + token.getKey().label() + " token",
                            call(route, path, Optional.of("Bearer " + token.getValue()), "{}"), 403, "forbidden");
                }
            }
        }
        softly.assertThat(state()).as("nothing a refused request could change has changed").isEqualTo(before);
        softly.assertAll();
    }

    @Test
    void aBodyThatIsNotJsonIsRefusedOnEveryRouteThatTakesOneAndChangesNothing() {
        SoftAssertions softly = new SoftAssertions();
        String before = state();
        List<String> checked = new ArrayList<>();
        for (Route route : served.server.routes()) {
            if (!route.method().name().equals("POST") && !route.method().name().equals("PUT") || route.scope().isEmpty()
                    || route.path().endsWith("/files")) { // a file's body is its bytes, whatever they are
                continue;
            }
            String name = route.method() + " " + route.path();
            HttpResponse<byte[]> answer = call(route, concrete(route.path()), Optional.of("Bearer " + served.admin), "{\"type\": ");
            softly.assertThat(answer.statusCode()).as(name + ": " + body(answer)).isBetween(400, 499);
            softly.assertThat(ApiClient.json(body(answer)).path("message").asText()).as(name + " says why").isNotBlank();
            checked.add(name);
        }
        assertThat(checked).as("routes that take a body").isNotEmpty();
        softly.assertThat(state()).as("nothing changed").isEqualTo(before);
        softly.assertAll();
    }

    private static Map<TokenScope, String> tokens() {
        return Map.of(TokenScope.READ, served.reader, TokenScope.LEASE, served.leaser, TokenScope.ADMIN, served.admin);
    }

    /** The route's path with its placeholders filled: the test's lease, and the blueprint "hosts". */
    private static String concrete(String path) {
        return path.replace("{id}", Long.toString(leaseId)).replace("{name}", "hosts")
                + (path.endsWith("/files") ? "?path=a.txt" : "");
    }

    private static HttpResponse<byte[]> call(Route route, String path, Optional<String> authorization, String body) {
        HttpRequest.Builder request = served.api.request(path).header("Content-Type", "application/json")
                .header("Accept", path.endsWith("/follow") ? "text/event-stream" : "application/json")
                .method(route.method().name(), route.method().name().equals("GET") ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        authorization.ifPresent(a -> request.header("Authorization", a));
        return served.api.bytes(null, request);
    }

    private static void expectError(SoftAssertions softly, String what, HttpResponse<byte[]> answer, int status, String error) {
        softly.assertThat(answer.statusCode()).as(what + ": " + body(answer)).isEqualTo(status);
        softly.assertThat(answer.headers().firstValue("Content-Type").orElse("")).as(what + ": a JSON error").startsWith("application/json");
        softly.assertThat(ApiClient.json(body(answer)).path("error").asText()).as(what).isEqualTo(error);
    }

    private static String body(HttpResponse<byte[]> answer) {
        return new String(answer.body(), StandardCharsets.UTF_8);
    }

    /** Leases, resources, blueprints, tokens and who acquired what, as text: equal means unchanged. */
    private static String state() {
        StringBuilder all = new StringBuilder();
        for (String sql : List.of(
                "SELECT string_agg(concat_ws('|', id, status, status_reason, resource_id, version), ',' ORDER BY id) FROM dd_lease",
                "SELECT string_agg(concat_ws('|', id, status, version), ',' ORDER BY id) FROM dd_resource",
                "SELECT string_agg(concat_ws('|', id, name, enabled, config::text, resource_limit), ',' ORDER BY id) FROM dd_blueprint",
                "SELECT string_agg(concat_ws('|', id, name, scope, revoked_at), ',' ORDER BY id) FROM dd_api_token",
                "SELECT string_agg(concat_ws('|', lease_id, token_id), ',' ORDER BY lease_id) FROM dd_api_lease")) {
            try (var c = served.db.connect(); var s = c.createStatement(); var rs = s.executeQuery(sql)) {
                rs.next();
                all.append(rs.getString(1)).append('\n');
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
        }
        return all.toString();
    }
}
