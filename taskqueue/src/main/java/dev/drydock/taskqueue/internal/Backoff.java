package dev.drydock.taskqueue.internal;

import java.time.Duration;

/** Reconnection backoff: 100 ms doubling to 2 s, so a restarted database is found within 2 s. */
final class Backoff {
    private static final long FIRST_MS = 100;
    private static final long MAX_MS = 2_000;
    static final Duration LONGEST = Duration.ofMillis(MAX_MS);
    private int failures;

    Duration next() {
        failures++;
        long ms = Math.min(MAX_MS, FIRST_MS << Math.min(failures - 1, 10));
        return Duration.ofMillis(ms);
    }

    int failures() {
        return failures;
    }

    void reset() {
        failures = 0;
    }
}
