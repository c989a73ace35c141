package dev.drydock.benchmarks;

import java.util.concurrent.atomic.AtomicInteger;

/** Collects enqueue-to-start latencies from many threads, skipping the first {@code warmup}. */
final class LatencyRecorder {
    private final long[] samples;
    private final AtomicInteger seen = new AtomicInteger();
    private final AtomicInteger stored = new AtomicInteger();
    private final int warmup;

    LatencyRecorder(int capacity, int warmup) {
        this.samples = new long[capacity];
        this.warmup = warmup;
    }

    void record(long enqueuedMicros) {
        long latency = Micros.now() - enqueuedMicros;
        if (seen.incrementAndGet() <= warmup) {
            return;
        }
        int i = stored.getAndIncrement();
        if (i < samples.length) {
            samples[i] = latency;
        }
    }

    int seen() {
        return seen.get();
    }

    /** Waits until {@code expected} starts were recorded (warm-up included), for at most 30 s. */
    void awaitSeen(long expected) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (seen.get() < expected && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }

    Percentiles percentiles() {
        return Percentiles.of(samples, Math.min(stored.get(), samples.length));
    }

    /** The enqueue time carried in a payload written by {@link #payload(long)}. */
    static long parse(String payload) {
        int start = payload.indexOf(':') + 1;
        int end = payload.indexOf('}', start);
        return Long.parseLong(payload.substring(start, end).trim());
    }

    static String payload(long micros) {
        return "{\"t\": " + micros + "}";
    }
}
