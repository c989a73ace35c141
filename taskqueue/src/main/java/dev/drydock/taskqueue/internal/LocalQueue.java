package dev.drydock.taskqueue.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The plain runs a dispatcher handed to its handler threads that no thread has started yet. Under
 * a backlog the dispatcher claims more than its free threads (up to {@link #depth()} more), so that
 * a thread that finishes starts the next run at once and one round trip serves many runs; a run
 * that waits here longer than {@link #TTL} is taken back by the dispatcher and given back to the
 * queue, so a claimed task never sits long with a taskmaster that does not run it.
 *
 * <p>The depth follows how long runs take: no deeper than what {@code threads} threads start within
 * half the TTL, and at most {@link #MAX_DEPTH_PER_THREAD} per thread; none after a run had to be
 * given back, until quick runs bring the average down again. Whoever takes a run first,
 * a thread to start it or the dispatcher to give it back, owns it. Only the dispatcher thread calls
 * {@link #add}, {@link #expired} and {@link #all}.
 */
final class LocalQueue {
    static final long TTL_NANOS = 500_000_000L;
    private static final int MAX_DEPTH_PER_THREAD = 8;
    /** Until runs tell otherwise, assume they take long enough that only one more per thread waits. */
    private static final long FIRST_GUESS_RUN_NANOS = TTL_NANOS / 2;

    private final int threads;
    private final int maxDepth;
    private final ArrayDeque<Waiting> inOrder = new ArrayDeque<>();
    private final AtomicInteger waiting = new AtomicInteger();
    /** Moving average of runs' durations; updated racily by handler threads, which a heuristic can afford. */
    private volatile long averageRunNanos = FIRST_GUESS_RUN_NANOS;

    /** A run handed to the threads; {@link #take} decides who owns it. */
    static final class Waiting {
        final Run run;
        final long since;
        private final AtomicBoolean taken = new AtomicBoolean();

        private Waiting(Run run, long since) {
            this.run = run;
            this.since = since;
        }
    }

    LocalQueue(int threads, boolean enabled) {
        this.threads = threads;
        this.maxDepth = enabled ? threads * MAX_DEPTH_PER_THREAD : 0;
    }

    /** How many runs may wait beyond the threads now: none when disabled or runs are slow. */
    int depth() {
        long fits = threads * (TTL_NANOS / 2) / Math.max(1, averageRunNanos);
        return (int) Math.min(maxDepth, fits);
    }

    /** Whether the threads are close to running out of work: time to claim again. */
    boolean lowOnWork(int depth) {
        return depth == 0 || waiting.get() <= depth / 2;
    }

    int waiting() {
        return waiting.get();
    }

    Waiting add(Run run) {
        Waiting w = new Waiting(run, System.nanoTime());
        inOrder.add(w);
        waiting.incrementAndGet();
        return w;
    }

    /** True when the caller now owns the run: a thread starts it, the dispatcher gives it back. */
    boolean take(Waiting w) {
        if (!w.taken.compareAndSet(false, true)) {
            return false;
        }
        waiting.decrementAndGet();
        return true;
    }

    /** A run took {@code nanos}. */
    void ran(long nanos) {
        averageRunNanos += (nanos - averageRunNanos) / 16;
    }

    /**
     * Takes the runs that waited longer than the TTL, to give them back. The threads are busier than
     * finished runs told: claim nothing ahead until quick runs show otherwise.
     */
    List<Run> expired() {
        long now = System.nanoTime();
        List<Run> expired = new ArrayList<>();
        for (Waiting w; (w = inOrder.peek()) != null && (w.taken.get() || now - w.since >= TTL_NANOS); ) {
            inOrder.poll();
            if (take(w)) {
                expired.add(w.run);
            }
        }
        if (!expired.isEmpty()) {
            averageRunNanos = Math.max(averageRunNanos, threads * TTL_NANOS);
        }
        return expired;
    }

    /** Takes every run still waiting, to give them back. */
    List<Run> all() {
        List<Run> all = new ArrayList<>();
        for (Waiting w; (w = inOrder.poll()) != null; ) {
            if (take(w)) {
                all.add(w.run);
            }
        }
        return all;
    }

    /** When the oldest run still waiting reaches the TTL (System.nanoTime), if one waits. */
    OptionalLong nextExpiryNanos() {
        while (!inOrder.isEmpty() && inOrder.peek().taken.get()) {
            inOrder.poll();
        }
        Waiting oldest = inOrder.peek();
        return oldest == null ? OptionalLong.empty() : OptionalLong.of(oldest.since + TTL_NANOS);
    }
}
