package dev.drydock.server.console;

import dev.drydock.server.Query;
import io.javalin.http.Context;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The filters a list page was asked for, blank ones dropped: what its form shows again, and what
 * its links to other pages of the same list carry.
 */
record Filters(Map<String, String> given) {
    public Filters {
        given = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(given));
    }

    static Filters of(Context ctx, String... names) {
        Map<String, String> given = new LinkedHashMap<>();
        for (String name : names) {
            Query.text(ctx, name).ifPresent(v -> given.put(name, v.strip()));
        }
        return new Filters(given);
    }

    Optional<String> get(String name) {
        return Optional.ofNullable(given.get(name));
    }

    /** The value for the form: empty when not given. */
    public String value(String name) {
        return given.getOrDefault(name, "");
    }

    /** The filters as query parameters, each followed by '&', ready for more. */
    public String query() {
        StringBuilder b = new StringBuilder();
        given.forEach((name, value) -> b.append(name).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8)).append('&'));
        return b.toString();
    }

    /** The address of the same list's page of ids below {@code before}. */
    String link(String path, long before) {
        return path + "?" + query() + "before=" + before;
    }
}
