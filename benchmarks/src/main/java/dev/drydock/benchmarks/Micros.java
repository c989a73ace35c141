package dev.drydock.benchmarks;

import java.time.Instant;

/** Wall-clock microseconds, comparable across processes on one machine. */
final class Micros {
    private Micros() {}

    static long now() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }
}
