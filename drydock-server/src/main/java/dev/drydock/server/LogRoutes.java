package dev.drydock.server;

import dev.drydock.core.ApiToken;
import dev.drydock.core.Drydock;
import dev.drydock.core.LogEntry;
import dev.drydock.core.TokenScope;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.sse.SseClient;
import io.javalin.http.sse.SseHandler;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /v1/logs}: the history, oldest first, after an id, optionally of one lease, resource or
 * blueprint; and {@code /v1/logs/follow}, the same as Server-Sent Events that keep coming (one event
 * {@code log} per entry, its id the entry's, so a client that reconnects with
 * {@code Last-Event-ID} misses nothing). Following reads new rows by primary key twice a second:
 * cheap at any history size.
 */
final class LogRoutes {
    static final int DEFAULT_PAGE = 100;
    static final int MAX_PAGE = 1000;
    private static final Duration FOLLOW_POLL = Duration.ofMillis(500);
    private static final Duration KEEP_ALIVE = Duration.ofSeconds(15);
    private static final Logger log = LoggerFactory.getLogger(LogRoutes.class);
    private final Drydock drydock;
    private final BooleanSupplier stopping;

    /** @param stopping true once the server is stopping: followers end then */
    LogRoutes(Drydock drydock, BooleanSupplier stopping) {
        this.drydock = drydock;
        this.stopping = stopping;
    }

    List<Route> routes() {
        return List.of(
                Route.of(HandlerType.GET, "/v1/logs", TokenScope.READ, "The history after an id, oldest first, filtered", this::page),
                Route.of(HandlerType.GET, "/v1/logs/follow", TokenScope.READ, "The history as Server-Sent Events, as it is written",
                        this::follow));
    }

    /** What a request filters by. */
    private record Filter(Optional<Long> lease, Optional<Long> resource, Optional<String> blueprint) {
        static Filter of(Context ctx) {
            return new Filter(id(ctx, "lease"), id(ctx, "resource"), Optional.ofNullable(ctx.queryParam("blueprint")));
        }

        private static Optional<Long> id(Context ctx, String name) {
            return ctx.queryParam(name) == null ? Optional.empty() : Optional.of(Query.longValue(ctx, name, 0, 1, Long.MAX_VALUE));
        }

        List<LogEntry> after(Drydock drydock, long after, int limit) {
            return drydock.logs(lease, resource, blueprint, after, limit);
        }
    }

    private void page(Context ctx, Optional<ApiToken> token) {
        Filter filter = Filter.of(ctx);
        long after = Query.longValue(ctx, "after", 0, 0, Long.MAX_VALUE);
        int limit = Query.integer(ctx, "limit", DEFAULT_PAGE, 1, MAX_PAGE);
        List<LogEntry> entries = filter.after(drydock, after, limit);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("entries", entries.stream().map(LogRoutes::entry).toList());
        m.put("last", entries.isEmpty() ? after : entries.getLast().id());
        Json.send(ctx, m);
    }

    private void follow(Context ctx, Optional<ApiToken> token) throws Exception {
        String accept = ctx.header("Accept");
        if (accept == null || !accept.contains("text/event-stream")) {
            throw new ApiError(406, "not_acceptable", "following sends Server-Sent Events: ask with 'Accept: text/event-stream'"
                    + " (a browser's EventSource does; with curl, add -H 'Accept: text/event-stream')", Optional.empty()).raise();
        }
        Filter filter = Filter.of(ctx);
        String lastEventId = ctx.header("Last-Event-ID");
        long start = lastEventId != null && lastEventId.matches("\\d{1,18}") ? Long.parseLong(lastEventId)
                : Query.longValue(ctx, "after", 0, 0, Long.MAX_VALUE);
        new SseHandler(KEEP_ALIVE.toMillis(), client -> stream(client, filter, start)).handle(ctx);
    }

    /**
     * Sends entries until the client goes, the server stops, or reading fails. Nothing may escape:
     * the response is already committed, so an exception could not become an error answer.
     */
    private void stream(SseClient client, Filter filter, long start) {
        long after = start;
        long lastSent = System.nanoTime();
        try {
            while (!client.terminated() && !stopping.getAsBoolean() && !Thread.currentThread().isInterrupted()) {
                List<LogEntry> entries = filter.after(drydock, after, MAX_PAGE);
                for (LogEntry e : entries) {
                    client.sendEvent("log", Json.text(entry(e)), Long.toString(e.id()));
                    after = e.id();
                    lastSent = System.nanoTime();
                }
                if (entries.size() == MAX_PAGE) {
                    continue; // more waiting: no pause
                }
                if (System.nanoTime() - lastSent > KEEP_ALIVE.toNanos()) {
                    client.sendComment("keep-alive"); // a proxy's idle timer, and our way to notice a gone client
                    lastSent = System.nanoTime();
                }
                Thread.sleep(FOLLOW_POLL);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.debug("stopped following the history after entry {}: {}", after, e.toString());
        }
    }

    static Map<String, Object> entry(LogEntry e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", e.id());
        m.put("at", e.at().toString());
        m.put("lease", e.leaseId().orElse(null));
        m.put("resource", e.resourceId().orElse(null));
        m.put("blueprint", e.blueprintId().orElse(null));
        m.put("message", e.message());
        return m;
    }

}
