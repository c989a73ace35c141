package dev.drydock.server;

import io.javalin.http.Context;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * One request for a newest-first list: its {@code limit}, its {@code before} cursor and the filters
 * it named, read from the query; and the answer, whose {@code next} is the next page's path with the
 * same filters (null on the last page). New rows get higher ids, so following {@code next} never
 * repeats nor skips an older row while rows are added. One per request.
 */
final class Page {
    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 1000;
    private final int limit;
    private final long before;
    private final Map<String, String> filters = new LinkedHashMap<>();

    private Page(int limit, long before) {
        this.limit = limit;
        this.before = before;
    }

    /** @throws ApiError.Raised {@code limit} or {@code before} is not a whole number in range */
    static Page of(Context ctx) {
        return new Page(Query.integer(ctx, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT), Query.longValue(ctx, "before", Long.MAX_VALUE, 1, Long.MAX_VALUE));
    }

    int limit() {
        return limit;
    }

    long before() {
        return before;
    }

    /** Query parameter {@code name}, if given, remembered for {@code next}. */
    Optional<String> filter(Context ctx, String name) {
        Optional<String> value = Query.text(ctx, name);
        value.ifPresent(v -> filters.put(name, v));
        return value;
    }

    /** Query parameter {@code name} as one of {@code type}'s constants, if given, remembered for {@code next}. */
    <E extends Enum<E>> Optional<E> filter(Context ctx, String name, Class<E> type) {
        return filter(ctx, name).map(t -> Query.enumOf(name, t, type));
    }

    /** The answer {@code {KEY: [documents], next: PATH or null}} for {@code items} listed at {@code path}. */
    <T> Map<String, Object> answer(String path, String key, List<T> items, ToLongFunction<T> id, Function<T, Map<String, Object>> document) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(key, items.stream().map(document).toList());
        if (items.size() < limit) {
            m.put("next", null);
            return m;
        }
        StringBuilder next = new StringBuilder(path).append('?');
        filters.forEach((name, value) -> next.append(name).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8)).append('&'));
        m.put("next", next.append("limit=").append(limit).append("&before=").append(id.applyAsLong(items.getLast())).toString());
        return m;
    }
}
