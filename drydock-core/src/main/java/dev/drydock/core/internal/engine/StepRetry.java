package dev.drydock.core.internal.engine;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How long a step that failed (a blueprint threw, the database was away) waits before it is tried
 * again: doubling from {@code first}, capped at {@code cap}, scaled by a random factor in [0.5, 1]
 * so that steps failing together (one cloud throttling a hundred builds) do not come back together.
 * The engine retries this way for as long as it takes; it never gives a step up, because a lease or
 * resource whose task is given up is stranded (see decision 23 in docs/architecture.md).
 *
 * @param first the wait after the first failure
 * @param cap   the longest wait
 */
public record StepRetry(Duration first, Duration cap) {
    /** 200 ms, doubling to at most a minute. */
    public static final StepRetry DEFAULT = new StepRetry(Duration.ofMillis(200), Duration.ofMinutes(1));

    public StepRetry {
        Objects.requireNonNull(first, "first");
        Objects.requireNonNull(cap, "cap");
        if (first.isNegative() || cap.compareTo(first) < 0) {
            throw new IllegalArgumentException("step retry: need 0 <= first <= cap, was first " + first + ", cap " + cap);
        }
    }

    /** The wait after {@code failures} failures in a row (at least 1), jittered. */
    public Duration after(int failures) {
        int doublings = Math.min(Math.max(failures - 1, 0), 20);
        long capped = Math.min(cap.toMillis(), first.toMillis() << doublings);
        return Duration.ofMillis((long) (capped * (0.5 + 0.5 * ThreadLocalRandom.current().nextDouble())));
    }
}
