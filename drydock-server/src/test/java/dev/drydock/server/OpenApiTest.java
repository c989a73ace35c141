package dev.drydock.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drydock.core.Drydock;
import dev.drydock.core.TokenScope;
import dev.drydock.testing.PostgresExtension;
import dev.drydock.testing.TestDatabase;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code /openapi.json} names exactly the routes the server has, each with its method and the
 * scope it needs, and is served to a read token as the same document. The console under
 * {@code /ui} is the one thing served outside the API's route table, and the document leaves it out.
 */
@ExtendWith(PostgresExtension.class)
class OpenApiTest {
    private static final Set<String> METHODS = Set.of("get", "post", "put", "patch", "delete");

    @Test
    void theDocumentNamesEveryRouteWithItsMethodAndScopeAndNothingElse(TestDatabase db) {
        try (Drydock drydock = Drydock.builder(db.dataSource()).build();
             DrydockServer server = DrydockServer.builder(drydock).port(0).build().start()) {
            Set<String> served = new TreeSet<>();
            server.routes().forEach(r -> served.add(r.method().name().toUpperCase(Locale.ROOT) + " " + r.path() + " "
                    + r.scope().map(TokenScope::label).orElse("none")));
            JsonNode document = OpenApi.document();
            Set<String> documented = new TreeSet<>();
            document.path("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(op -> {
                if (METHODS.contains(op.getKey())) {
                    documented.add(op.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey() + " " + op.getValue().path("x-drydock-scope").asText());
                }
            }));
            assertThat(documented).isEqualTo(served);

            // The console's pages (HTML, signed in by cookie) and its static files are not API routes:
            // they are left out here by name, and nothing else is served outside the route table.
            Set<String> apiPaths = new TreeSet<>();
            server.routes().forEach(r -> apiPaths.add(r.method().name() + " " + r.path()));
            Set<String> outside = new TreeSet<>(server.servedEndpoints());
            outside.removeAll(apiPaths);
            assertThat(outside).isNotEmpty().allSatisfy(e -> assertThat(e).matches("(GET|POST) /ui(/.*)?"));
            assertThat(document.path("paths").has("/ui")).isFalse();
            assertThat(document.path("openapi").asText()).startsWith("3.");

            String reader = drydock.apiTokens().create("openapi-reader", TokenScope.READ).secret();
            ApiClient.Answer fetched = new ApiClient(server.uri()).get(reader, "/openapi.json");
            assertThat(fetched.status()).isEqualTo(200);
            assertThat(fetched.json()).isEqualTo(document);
        }
    }
}
