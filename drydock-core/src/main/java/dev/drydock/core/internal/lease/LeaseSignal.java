package dev.drydock.core.internal.lease;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The wake-ups of one lease, shared by every thread waiting on it. A counter of changes rather than
 * permits: each waiter remembers the count it last saw, so one change wakes all of them and none
 * takes another's wake-up. A lock and condition rather than {@code synchronized}: waiters may be
 * virtual threads.
 */
final class LeaseSignal {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private long generation; // guarded by lock
    /** Waiters subscribed; changed only inside the map's compute for this lease, which serialises it. */
    private int subscribers;

    LeaseSignal subscribed() {
        subscribers++;
        return this;
    }

    /** @return whether that was the last subscriber (the signal can be dropped) */
    boolean unsubscribed() {
        return --subscribers == 0;
    }

    long generation() {
        lock.lock();
        try {
            return generation;
        } finally {
            lock.unlock();
        }
    }

    /** Wakes every waiter. */
    void fire() {
        lock.lock();
        try {
            generation++;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Waits until the count of changes differs from {@code seen} or {@code nanos} pass; returns the count then. */
    long awaitBeyond(long seen, long nanos) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            long left = nanos;
            while (generation == seen) {
                if (left <= 0) {
                    if (Thread.interrupted()) { // an interrupt must stop a wait even when no time is left
                        throw new InterruptedException();
                    }
                    break;
                }
                left = changed.awaitNanos(left);
            }
            return generation;
        } finally {
            lock.unlock();
        }
    }
}
