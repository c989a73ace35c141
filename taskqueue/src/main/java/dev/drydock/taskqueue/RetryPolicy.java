package dev.drydock.taskqueue;

import java.time.Duration;
import java.util.Objects;

/**
 * How often a task may run and how long to wait after a retryable failure. The wait after the
 * n-th failed attempt is {@code min(maxBackoff, initialBackoff * 2^(n-1))}, scaled by a random
 * factor in [0.5, 1.0] so that tasks failing together do not retry together. A task whose
 * taskmaster died counts that execution as an attempt, so a task that crashes its worker cannot
 * loop forever.
 *
 * @param maxAttempts    executions allowed, at least 1
 * @param initialBackoff wait after the first failure, not negative
 * @param maxBackoff     upper bound of any wait, at least {@code initialBackoff}
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
    /** 5 attempts, 1 s then doubling, at most 5 minutes. */
    public static final RetryPolicy DEFAULT = new RetryPolicy(5, Duration.ofSeconds(1), Duration.ofMinutes(5));

    public RetryPolicy {
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
        }
        if (initialBackoff.isNegative()) {
            throw new IllegalArgumentException("initialBackoff must not be negative, was " + initialBackoff);
        }
        if (maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("maxBackoff (" + maxBackoff + ") must be at least initialBackoff (" + initialBackoff + ")");
        }
    }

    /** One attempt only: any failure is final. */
    public static RetryPolicy noRetries() {
        return new RetryPolicy(1, Duration.ZERO, Duration.ZERO);
    }

    /** The wait after failed attempt number {@code attempt} (1-based), before jitter. */
    public Duration backoffAfter(int attempt) {
        return Duration.ofMillis(dev.drydock.taskqueue.internal.Backoffs.exponentialMillis(
                initialBackoff.toMillis(), maxBackoff.toMillis(), attempt));
    }
}
