package dev.drydock.taskqueue.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * The batches of one batch kind that run in this taskmaster, and when another may start. One runs
 * whenever there is work; a further one (up to the kind's limit) only once every running batch
 * has run for {@link #PATIENCE}, so that batches stay large while they are quick, and a slow one
 * (a blueprint step waiting on a host) does not hold up the rest of its kind for long.
 */
final class RunningBatches {
    static final Duration PATIENCE = Duration.ofMillis(50);
    private final int max;
    private final List<Long> startedNanos = new ArrayList<>();

    RunningBatches(int max) {
        this.max = max;
    }

    synchronized boolean mayStart(long nowNanos) {
        return startedNanos.isEmpty() || (startedNanos.size() < max && nowNanos - youngest() >= PATIENCE.toNanos());
    }

    /** Records a batch as started; pass the returned token to {@link #ended}. */
    synchronized long started(long nowNanos) {
        startedNanos.add(nowNanos);
        return nowNanos;
    }

    synchronized void ended(long token) {
        startedNanos.remove(Long.valueOf(token));
    }

    /** When another batch may start if none ends first; empty when one may start now or none may at all. */
    synchronized OptionalLong nextChanceNanos(long nowNanos) {
        if (startedNanos.isEmpty() || startedNanos.size() >= max || nowNanos - youngest() >= PATIENCE.toNanos()) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(youngest() + PATIENCE.toNanos());
    }

    private long youngest() {
        return startedNanos.stream().mapToLong(Long::longValue).max().orElseThrow();
    }
}
