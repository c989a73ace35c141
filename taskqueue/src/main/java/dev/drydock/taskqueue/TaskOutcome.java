package dev.drydock.taskqueue;

import java.time.Duration;
import java.util.Objects;

/**
 * What a handler says happened. A handler may also throw: {@link PermanentTaskFailure} fails the
 * task at once, any other exception is a retryable failure.
 */
public sealed interface TaskOutcome {
    /** The task is done: it is archived as succeeded (deleted instead, for a kind whose successes the taskmaster forgets). */
    record Succeeded() implements TaskOutcome {}

    /** Not done yet and not a failure: run again after {@code delay}; no attempt is used. */
    record Yielded(Duration delay) implements TaskOutcome {
        public Yielded {
            Objects.requireNonNull(delay, "delay");
            if (delay.isNegative()) {
                throw new IllegalArgumentException("yield delay must not be negative, was " + delay);
            }
        }
    }

    /** Failed: retried with backoff while attempts remain, unless {@code permanent}. */
    record Failed(String error, boolean permanent) implements TaskOutcome {
        public Failed {
            Objects.requireNonNull(error, "error");
        }
    }

    static TaskOutcome success() {
        return new Succeeded();
    }

    static TaskOutcome yieldFor(Duration delay) {
        return new Yielded(delay);
    }

    static TaskOutcome retry(String error) {
        return new Failed(error, false);
    }

    static TaskOutcome fail(String error) {
        return new Failed(error, true);
    }
}
