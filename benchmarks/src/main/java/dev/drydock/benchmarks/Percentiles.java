package dev.drydock.benchmarks;

import java.util.Arrays;

/** A latency summary: sample count and nearest-rank p50 and p99 in milliseconds. */
record Percentiles(int count, double p50Ms, double p99Ms) {

    /** Summarises the first {@code count} samples, in microseconds. */
    static Percentiles of(long[] samplesMicros, int count) {
        long[] sorted = Arrays.copyOf(samplesMicros, count);
        Arrays.sort(sorted);
        return new Percentiles(count, rank(sorted, 50), rank(sorted, 99));
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
