package dev.drydock.blueprint.webroot;

import dev.drydock.api.spi.LeaseContext;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * How long a lease's URI has been given to answer 200: the first check is recorded on the lease
 * ({@code ready.since}), so the limit holds across retries and taskmasters.
 */
record Readiness(Instant since, Duration limit) {
    static final String SINCE = "ready.since";

    static Readiness of(LeaseContext lease, Duration limit) {
        Optional<Instant> recorded = Optional.ofNullable(lease.lease().leaseAttributes().get(SINCE)).map(Instant::parse);
        Instant since = recorded.orElseGet(Instant::now);
        if (recorded.isEmpty()) {
            lease.setAttribute(SINCE, since.toString());
        }
        return new Readiness(since, limit);
    }

    boolean overdue() {
        return Instant.now().isAfter(since.plus(limit));
    }

    /** What to do about a site that never answered 200, where there is something to say. */
    static String hint(ServerKind kind, String problem) {
        if (problem.contains("404") && kind != ServerKind.NGINX) {
            return "; " + kind.label() + " answers 404 for a directory without index.html: add one, or install nginx, which lists it";
        }
        return "";
    }
}
