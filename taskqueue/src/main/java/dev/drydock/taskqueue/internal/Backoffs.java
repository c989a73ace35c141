package dev.drydock.taskqueue.internal;

/** The one place the exponential backoff formula lives. */
public final class Backoffs {
    private Backoffs() {}

    /** {@code min(maxMs, initialMs * 2^(attempt-1))} without overflow; attempt is 1-based. */
    public static long exponentialMillis(long initialMs, long maxMs, int attempt) {
        int shift = Math.min(Math.max(attempt - 1, 0), 30);
        long millis = initialMs > (Long.MAX_VALUE >> shift) ? Long.MAX_VALUE : initialMs << shift;
        return Math.min(millis, maxMs);
    }
}
