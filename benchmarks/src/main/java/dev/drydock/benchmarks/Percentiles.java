package dev.drydock.benchmarks;

import java.util.Arrays;

/** A latency summary: sample count, nearest-rank p50, p95 and p99, and the largest, in milliseconds. */
record Percentiles(int count, double p50Ms, double p95Ms, double p99Ms, double maxMs) {

    /** Summarises the first {@code count} samples, in microseconds. */
    static Percentiles of(long[] samplesMicros, int count) {
        long[] sorted = Arrays.copyOf(samplesMicros, count);
        Arrays.sort(sorted);
        return new Percentiles(count, rank(sorted, 50), rank(sorted, 95), rank(sorted, 99), rank(sorted, 100));
    }

    /** The nearest-rank {@code p}th percentile of the first {@code count} samples (microseconds), in milliseconds. */
    static double ms(long[] samplesMicros, int count, double p) {
        long[] sorted = Arrays.copyOf(samplesMicros, count);
        Arrays.sort(sorted);
        return rank(sorted, p);
    }

    private static double rank(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))] / 1000.0;
    }
}
