package dev.drydock.benchmarks;

import dev.drydock.api.Lease;
import dev.drydock.api.LeaseRequest;
import dev.drydock.core.Drydock;
import dev.drydock.core.LogEntry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One sandcastle as the benchmark times it: a webroot lease of a repository at a ref, from the
 * request to ACTIVE (when the web root says its URI answered 200), then one GET by the benchmark,
 * which must answer 200 with the ref's own {@code index.html}.
 */
final class SandcastleSite {
    static final Duration WAIT = Duration.ofMinutes(3);
    private final Drydock drydock;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();

    SandcastleSite(Drydock drydock) {
        this.drydock = drydock;
    }

    /** A timed lease: when it was asked for, and microseconds from then to ACTIVE and to the benchmark's 200. */
    record Timed(Lease lease, Instant requested, long activeMicros, long okMicros) {
        double activeMs() {
            return activeMicros / 1000.0;
        }

        double okMs() {
            return okMicros / 1000.0;
        }
    }

    /** Leases {@code repository} at {@code ref} and confirms it serves {@code index}; the lease is held on return. */
    Timed lease(String repository, String ref, String index) {
        Instant requested = Instant.now();
        long start = System.nanoTime();
        Lease lease = drydock.allocator().acquire(LeaseRequest.builder("webroot").attribute("repository", repository)
                .attribute("ref", ref).acquireDeadline(WAIT).build());
        lease.await(WAIT);
        long active = (System.nanoTime() - start) / 1000;
        URI uri = URI.create(lease.info().leaseAttributes().get("uri"));
        String body = get(uri);
        long ok = (System.nanoTime() - start) / 1000;
        if (!body.equals(index)) {
            throw new IllegalStateException("lease " + lease.id() + " of ref '" + ref + "' serves at " + uri + " an index.html that is not the ref's: "
                    + body.lines().limit(3).toList());
        }
        return new Timed(lease, requested, active, ok);
    }

    /** Releases the lease and waits until it is cleaned up (its server stopped, its checkout removed). */
    static void end(Timed timed) {
        timed.lease().release();
        timed.lease().awaitEnded(WAIT);
    }

    /**
     * The history of one timed lease and of its checkout's working-copy lease, oldest first, each
     * line with its milliseconds after the request: where the time went.
     */
    List<String> history(Timed timed) {
        List<LogEntry> entries = new ArrayList<>(drydock.logs(Optional.of(timed.lease().id()), Optional.empty(), Optional.empty(), 0, 1_000));
        String checkout = timed.lease().info().leaseAttributes().get("checkout.lease");
        if (checkout != null) {
            entries.addAll(drydock.logs(Optional.of(Long.parseLong(checkout)), Optional.empty(), Optional.empty(), 0, 1_000));
        }
        entries.sort(Comparator.comparingLong(LogEntry::id));
        return entries.stream().map(e -> String.format(Locale.ROOT, "%8.1f ms  lease %d: %s",
                Duration.between(timed.requested(), e.at()).toNanos() / 1e6, e.leaseId().orElse(0L), e.message())).toList();
    }

    private String get(URI uri) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET().build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            if (response.statusCode() != 200) {
                throw new IllegalStateException("GET " + uri + " answered " + response.statusCode() + " after the lease was ACTIVE");
            }
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + uri + " after the lease was ACTIVE", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
