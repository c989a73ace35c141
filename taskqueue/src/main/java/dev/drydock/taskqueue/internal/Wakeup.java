package dev.drydock.taskqueue.internal;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The dispatcher's alarm: rung by finished handlers, notifications, enqueues committed in this JVM
 * (see {@link LocalTaskmasters}) and shutdown; also remembers
 * the earliest future due time it was told of, so a delayed task starts on time without polling.
 * A ReentrantLock, not synchronized, because virtual threads ring it.
 */
public final class Wakeup {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition rung = lock.newCondition();
    private final AtomicLong nextDueMillis = new AtomicLong(Long.MAX_VALUE);
    private final AtomicBoolean enqueued = new AtomicBoolean();
    private boolean pending;

    public void ring() {
        lock.lock();
        try {
            pending = true;
            rung.signal();
        } finally {
            lock.unlock();
        }
    }

    /** A task of ours was committed in this JVM: ring, and let the next look claim without probing first. */
    void enqueued() {
        enqueued.set(true);
        ring();
    }

    /** Whether a task was committed in this JVM since the last call: the dispatcher knows there is work. */
    boolean takeEnqueued() {
        return enqueued.getAndSet(false);
    }

    /** A task becomes due at {@code epochMillis}: ring now if it is due, else remember the time. */
    void dueAt(long epochMillis) {
        if (epochMillis <= System.currentTimeMillis()) {
            ring();
            return;
        }
        nextDueMillis.accumulateAndGet(epochMillis, Math::min);
        lock.lock();
        try {
            rung.signal(); // not pending: the waiting dispatcher only recomputes its deadline
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until rung or until {@code deadlineMillis} (or a remembered due time) passes; false when
     * only the deadline passed.
     */
    boolean await(long deadlineMillis) throws InterruptedException {
        lock.lock();
        try {
            while (!pending) {
                long due = nextDueMillis.get();
                long until = Math.min(deadlineMillis, due);
                long wait = until - System.currentTimeMillis();
                if (wait <= 0) {
                    if (due <= System.currentTimeMillis()) {
                        nextDueMillis.compareAndSet(due, Long.MAX_VALUE);
                        return true;
                    }
                    return false;
                }
                rung.await(wait, TimeUnit.MILLISECONDS);
            }
            pending = false;
            return true;
        } finally {
            lock.unlock();
        }
    }
}
