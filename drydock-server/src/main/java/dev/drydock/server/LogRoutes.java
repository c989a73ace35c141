package dev.drydock.server;

import dev.drydock.core.ApiToken;
import dev.drydock.core.Drydock;
import dev.drydock.core.LogEntry;
import dev.drydock.core.TokenScope;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /v1/logs}: the history, oldest first, after an id, optionally of one lease, resource or
 * blueprint; and {@code /v1/logs/follow}, the same as Server-Sent Events that keep coming
 * ({@link LogFollower}).
 */
final class LogRoutes {
    static final int DEFAULT_PAGE = 100;
    private final Drydock drydock;
    private final LogFollower follower;

    LogRoutes(Drydock drydock, LogFollower follower) {
        this.drydock = drydock;
        this.follower = follower;
    }

    List<Route> routes() {
        return List.of(
                Route.of(HandlerType.GET, "/v1/logs", TokenScope.READ, "The history after an id, oldest first, filtered", this::page),
                Route.of(HandlerType.GET, "/v1/logs/follow", TokenScope.READ, "The history as Server-Sent Events, as it is written",
                        this::follow));
    }

    private void page(Context ctx, Optional<ApiToken> token) {
        LogFollower.Filter filter = LogFollower.Filter.of(ctx);
        long after = Query.longValue(ctx, "after", 0, 0, Long.MAX_VALUE);
        int limit = Query.integer(ctx, "limit", DEFAULT_PAGE, 1, LogFollower.MAX_PAGE);
        List<LogEntry> entries = filter.after(drydock, after, limit);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("entries", entries.stream().map(LogFollower::entry).toList());
        m.put("last", entries.isEmpty() ? after : entries.getLast().id());
        Json.send(ctx, m);
    }

    private void follow(Context ctx, Optional<ApiToken> token) throws Exception {
        String accept = ctx.header("Accept");
        if (accept == null || !accept.contains("text/event-stream")) {
            throw new ApiError(406, "not_acceptable", "following sends Server-Sent Events: ask with 'Accept: text/event-stream'"
                    + " (a browser's EventSource does; with curl, add -H 'Accept: text/event-stream')", Optional.empty()).raise();
        }
        follower.follow(ctx, LogFollower.Filter.of(ctx));
    }
}
