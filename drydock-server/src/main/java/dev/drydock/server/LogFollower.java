package dev.drydock.server;

import dev.drydock.core.Drydock;
import dev.drydock.core.LogEntry;
import io.javalin.http.Context;
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
 * The history as Server-Sent Events that keep coming: one event {@code log} per entry, its data the
 * entry's JSON ({@link #entry}), its id the entry's, so a client that reconnects with
 * {@code Last-Event-ID} misses nothing. New rows are read by primary key twice a second: cheap at
 * any history size. A follower ends when its client goes, the server stops, or a read fails. Shared
 * by the API ({@code /v1/logs/follow}) and the console ({@code /ui/logs/follow}), which differ only
 * in how the caller proves who it is; not for applications.
 */
public final class LogFollower {
    /** The most entries one read returns. */
    public static final int MAX_PAGE = 1000;
    private static final Duration FOLLOW_POLL = Duration.ofMillis(500);
    private static final Duration KEEP_ALIVE = Duration.ofSeconds(15);
    private static final Logger log = LoggerFactory.getLogger(LogFollower.class);
    private final Drydock drydock;
    private final BooleanSupplier stopping;
    /** Followers streaming now: the server lets them end before it stops (see {@link #awaitEnded}). */
    private final java.util.concurrent.atomic.AtomicInteger streaming = new java.util.concurrent.atomic.AtomicInteger();

    /** @param stopping true once the server is stopping: followers end then */
    LogFollower(Drydock drydock, BooleanSupplier stopping) {
        this.drydock = drydock;
        this.stopping = stopping;
    }

    /** What a request filters the history by: one lease, resource or blueprint, or any combination. */
    public record Filter(Optional<Long> lease, Optional<Long> resource, Optional<String> blueprint) {
        /** The filter of a request's {@code lease}, {@code resource} and {@code blueprint} parameters; a bad id is a 400 naming it. */
        public static Filter of(Context ctx) {
            return new Filter(id(ctx, "lease"), id(ctx, "resource"), Optional.ofNullable(ctx.queryParam("blueprint")).filter(b -> !b.isBlank()));
        }

        private static Optional<Long> id(Context ctx, String name) {
            String text = ctx.queryParam(name);
            return text == null || text.isBlank() ? Optional.empty() : Optional.of(Query.longValue(ctx, name, 0, 1, Long.MAX_VALUE));
        }

        /** Entries after {@code after}, oldest first. */
        public List<LogEntry> after(Drydock drydock, long after, int limit) {
            return drydock.logs(lease, resource, blueprint, after, limit);
        }
    }

    /**
     * Answers with the entries after the request's {@code Last-Event-ID} (else its {@code after}
     * parameter, else from the start) as they are written, until the client goes.
     */
    public void follow(Context ctx, Filter filter) throws Exception {
        String lastEventId = ctx.header("Last-Event-ID");
        long start = lastEventId != null && lastEventId.matches("\\d{1,18}") ? Long.parseLong(lastEventId)
                : Query.longValue(ctx, "after", 0, 0, Long.MAX_VALUE);
        // no time limit: SseHandler's first argument ends the answer after that long; the keep-alive comments are ours
        new SseHandler(0, client -> stream(client, filter, start)).handle(ctx);
    }

    /**
     * Sends entries until the client goes, the server stops, or reading fails. Nothing may escape:
     * the response is already committed, so an exception could not become an error answer.
     */
    private void stream(SseClient client, Filter filter, long start) {
        long after = start;
        long lastSent = System.nanoTime();
        streaming.incrementAndGet();
        try {
            while (!client.terminated() && !stopping.getAsBoolean() && !Thread.currentThread().isInterrupted()) {
                List<LogEntry> entries = filter.after(drydock, after, MAX_PAGE);
                for (LogEntry e : entries) {
                    if (client.terminated()) {
                        return; // its client left while this page was read: sending would only be refused
                    }
                    client.sendEvent("log", Json.text(entry(e)), Long.toString(e.id()));
                    after = e.id();
                    lastSent = System.nanoTime();
                }
                if (entries.size() == MAX_PAGE) {
                    continue; // more waiting: no pause
                }
                if (System.nanoTime() - lastSent > KEEP_ALIVE.toNanos() && !client.terminated()) {
                    client.sendComment("keep-alive"); // a proxy's idle timer, and our way to notice a gone client
                    lastSent = System.nanoTime();
                }
                Thread.sleep(FOLLOW_POLL);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.debug("stopped following the history after entry {}: {}", after, e.toString());
        } finally {
            streaming.decrementAndGet();
        }
    }

    /**
     * Waits until no follower streams, at most {@code max}: once the server is stopping they end
     * within a poll. The server stops its HTTP side only after that, because a follower that ended
     * after its request had been torn down left the HTTP library failing over the vanished answer
     * in a tight loop.
     */
    void awaitEnded(Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        while (streaming.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** One entry as the API and the console's follower send it. */
    public static Map<String, Object> entry(LogEntry e) {
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
