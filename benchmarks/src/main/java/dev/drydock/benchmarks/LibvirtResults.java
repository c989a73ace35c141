package dev.drydock.benchmarks;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The libvirt benchmark's table: cold leases with their split (guest boot, engine share, and the
 * engine share's two halves) and warm leases, nearest-rank percentiles over the runs; each split
 * row is the percentile of that part over the runs, so the rows need not add up. The last line is
 * one JSON object, as every benchmark prints.
 */
record LibvirtResults(List<ColdLease> cold, long[] warmMicros) {
    void print(String loadAtStart, String loadAtEnd) {
        System.out.println();
        System.out.println("| measure | n | p50 | p95 | min | max |");
        System.out.println("|---|---:|---:|---:|---:|---:|");
        row("cold lease -> ACTIVE, VM built for it (s)", ColdLease::total);
        row("  guest boot: domain started -> first SSH answer (s)", ColdLease::boot);
        row("  engine share: cold total - guest boot (s)", ColdLease::engine);
        row("    before the start: placement, overlay, seed, define, start (s)", ColdLease::beforeStart);
        row("    after SSH: lease directory, engine steps (s)", ColdLease::afterSsh);
        row("warm lease -> ACTIVE, kept idle VM (ms)", warmMicros, 1);
        System.out.println();
        System.out.println("load average (1/5/15 min): " + loadAtStart + " at the start, " + loadAtEnd + " at the end; p95 is given"
                + " from 20 samples on");
        long[] total = micros(ColdLease::total);
        System.out.printf(Locale.ROOT, "%n{\"cold_p50_s\": %.2f, \"cold_min_s\": %.2f, \"cold_max_s\": %.2f, \"boot_p50_s\": %.2f,"
                        + " \"engine_p50_s\": %.2f, \"warm_p50_ms\": %.1f, \"warm_p95_ms\": %.1f, \"load_1min_start\": %s}%n",
                ms(total, 50) / 1e3, ms(total, 0) / 1e3, ms(total, 100) / 1e3, ms(micros(ColdLease::boot), 50) / 1e3,
                ms(micros(ColdLease::engine), 50) / 1e3, ms(warmMicros, 50), ms(warmMicros, 95), loadAtStart.split(" ")[0]);
    }

    private void row(String label, Function<ColdLease, Duration> part) {
        row(label, micros(part), 1e3);
    }

    /** A table row from microseconds, shown in milliseconds divided by {@code scale} (1e3: seconds). */
    private static void row(String label, long[] micros, double scale) {
        String p95 = micros.length >= 20 ? format(ms(micros, 95) / scale, scale) : "-";
        System.out.println("| " + label + " | " + micros.length + " | " + format(ms(micros, 50) / scale, scale) + " | " + p95 + " | "
                + format(ms(micros, 0) / scale, scale) + " | " + format(ms(micros, 100) / scale, scale) + " |");
    }

    private static String format(double value, double scale) {
        return String.format(Locale.ROOT, scale > 1 ? "%.2f" : "%.1f", value);
    }

    private long[] micros(Function<ColdLease, Duration> part) {
        return cold.stream().mapToLong(c -> part.apply(c).toNanos() / 1000).toArray();
    }

    private static double ms(long[] micros, double p) {
        return Percentiles.ms(micros, micros.length, p);
    }
}
