package dev.drydock.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The OpenAPI 3 document of the API, written by hand in {@code openapi.json} next to this class
 * (the contract users read and generate clients from); a test checks it names exactly the routes
 * that exist, with their methods and scopes.
 */
final class OpenApi {
    private static final String RESOURCE = "openapi.json";

    private OpenApi() {}

    static String text() {
        try (InputStream in = OpenApi.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the server's jar");
            }
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The query parameters the document gives each operation, by {@code "METHOD /path"}: the server
     * refuses any other, so a misspelt filter is an error rather than a page it did not ask for.
     */
    static java.util.Map<String, java.util.Set<String>> queryParameters() {
        java.util.Map<String, java.util.Set<String>> all = new java.util.HashMap<>();
        document().path("paths").properties().forEach(path -> path.getValue().properties().forEach(operation -> {
            java.util.Set<String> names = new java.util.TreeSet<>();
            operation.getValue().path("parameters").forEach(p -> {
                if ("query".equals(p.path("in").asText())) {
                    names.add(p.path("name").asText());
                }
            });
            all.put(operation.getKey().toUpperCase(java.util.Locale.ROOT) + " " + path.getKey(), names);
        }));
        return all;
    }

    static JsonNode document() {
        try {
            return new ObjectMapper().readTree(text());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
