package dev.drydock.benchmarks.chaos;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * One lease as its client saw it: asked for, active (if it became so), released; or the failure
 * its client met.
 */
record LeaseRecord(long id, Instant requested, Optional<Instant> active, Optional<Instant> released, Optional<String> failure) {
    /** From request to ACTIVE; empty for a lease that never became active. */
    Optional<Duration> waited() {
        return active.map(a -> Duration.between(requested, a));
    }
}
