package dev.drydock.benchmarks.chaos;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * Wait figures of a run: from request to ACTIVE, over all leases and in the windows just before
 * and just after a fault, so that what a fault added to waiting can be read off.
 */
final class WaitFigures {
    /** How far before and after a fault leases count as "before" and "after" it. */
    static final Duration WINDOW = Duration.ofSeconds(10);

    /** p50, p99 and max in milliseconds of the leases counted, and how many. */
    record Spread(int count, long p50Ms, long p99Ms, long maxMs) {
        @Override
        public String toString() {
            return count == 0 ? "no lease" : String.format(Locale.ROOT, "%d leases: p50 %,d ms, p99 %,d ms, max %,d ms", count, p50Ms, p99Ms, maxMs);
        }
    }

    /**
     * The waits of leases that became active in the window before a fault, and of those that became
     * active after it having been asked for before the window after it ended: in flight at the
     * fault, or asked for just after.
     */
    record AroundFault(String fault, Instant at, Spread before, Spread after) {
        /** How much longer the slowest leases (p99) waited after the fault than before. */
        Duration extraP99() {
            return Duration.ofMillis(Math.max(0, after.p99Ms() - before.p99Ms()));
        }

        /** How much longer the slowest lease waited after the fault than before. */
        Duration extraMax() {
            return Duration.ofMillis(Math.max(0, after.maxMs() - before.maxMs()));
        }
    }

    private WaitFigures() {}

    static Spread of(List<LeaseRecord> records) {
        long[] ms = records.stream().flatMap(r -> r.waited().stream()).mapToLong(Duration::toMillis).sorted().toArray();
        if (ms.length == 0) {
            return new Spread(0, 0, 0, 0);
        }
        return new Spread(ms.length, rank(ms, 0.50), rank(ms, 0.99), ms[ms.length - 1]);
    }

    /**
     * As described on {@link AroundFault}; when no lease became active in the window before the
     * fault (an earlier fault stalled them), the leases that became active before {@code calmUntil}
     * (the first fault) stand for "before".
     */
    static AroundFault around(String fault, Instant at, List<LeaseRecord> records, Instant calmUntil) {
        List<LeaseRecord> before = records.stream()
                .filter(r -> r.active().isPresent() && !r.active().get().isBefore(at.minus(WINDOW)) && r.active().get().isBefore(at))
                .toList();
        if (before.isEmpty()) {
            before = records.stream().filter(r -> r.active().isPresent() && r.active().get().isBefore(calmUntil)).toList();
        }
        List<LeaseRecord> after = records.stream()
                .filter(r -> r.active().isPresent() && !r.active().get().isBefore(at) && r.requested().isBefore(at.plus(WINDOW)))
                .toList();
        return new AroundFault(fault, at, of(before), of(after));
    }

    private static long rank(long[] sorted, double p) {
        int i = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.clamp(i, 0, sorted.length - 1)];
    }
}
