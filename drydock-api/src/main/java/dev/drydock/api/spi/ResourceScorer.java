package dev.drydock.api.spi;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Ranks the active resources of one blueprint that have room for a lease: the engine places the
 * lease on the highest-scoring one its blueprint accepts. A blueprint names its scorer
 * ({@code placement}: {@code binpack}, the default, {@code spread}, or one an application
 * registered with {@code Drydock.Builder.scorer}). Scores only order the resources of one
 * blueprint; which blueprint is tried first does not depend on them.
 *
 * <p>Called on the engine's threads for every candidate resource of every pending lease, so it
 * must be quick, thread-safe and free of I/O; it is given everything it may use. A scorer that
 * throws, or answers a score that is not a finite number, is replaced by {@code binpack} for that
 * score (logged once per scorer).
 */
public interface ResourceScorer {
    /** What a blueprint's {@code placement} names it by: a lower-case letter, then up to 62 of letters, digits and '-'. */
    java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("[a-z][a-z0-9-]{0,62}");

    /** The name a blueprint's {@code placement} refers to; must match {@link #NAME}. */
    String name();

    /** How good a place {@code candidate} is for {@code lease}: higher wins. */
    Score score(ScoredResource candidate, LeaseView lease);

    /**
     * A candidate resource as placement sees it.
     *
     * @param resource     the resource as stored
     * @param capacity     leases it can hold
     * @param activeLeases leases it holds, counting those the engine placed on it earlier in the
     *                     same batch (below {@code capacity}: it has room for this one)
     * @param failedAt     when a lease last failed to be prepared on it, if ever
     * @param readyAt      when it became ACTIVE, if recorded
     * @param now          the database's clock, to judge {@code failedAt} and {@code readyAt} against
     */
    record ScoredResource(ResourceView resource, int capacity, int activeLeases, Optional<Instant> failedAt,
                          Optional<Instant> readyAt, Instant now) {
        public ScoredResource {
            Objects.requireNonNull(resource, "resource");
            Objects.requireNonNull(failedAt, "failedAt");
            Objects.requireNonNull(readyAt, "readyAt");
            Objects.requireNonNull(now, "now");
        }

        /**
         * The share of its capacity left free once this lease is placed on it, 0 (full) to just
         * under 1: {@code (capacity - activeLeases - 1) / capacity}.
         */
        public double freeAfter() {
            return Math.max(0, capacity - activeLeases - 1) / (double) Math.max(1, capacity);
        }

        /** How long ago a lease last failed on it (zero if the clocks disagree), if ever. */
        public Optional<Duration> sinceFailure() {
            return failedAt.map(at -> at.isAfter(now) ? Duration.ZERO : Duration.between(at, now));
        }
    }

    /**
     * A score, and in a few words what decided it beyond the number ({@code "failed 40 s ago"}), or
     * empty when the number says it all. The engine shows both in the lease's placement reason.
     */
    record Score(double value, String why) {
        public Score {
            Objects.requireNonNull(why, "why");
        }
    }
}
