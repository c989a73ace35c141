package dev.drydock.taskqueue.internal;

import dev.drydock.taskqueue.TaskmasterMetrics;
import java.util.concurrent.atomic.AtomicLong;

/** Outcome counters of one taskmaster, safe to bump from any thread. */
final class TaskmasterMetricsCounters {
    final AtomicLong claimed = new AtomicLong();
    final AtomicLong succeeded = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    final AtomicLong retried = new AtomicLong();
    final AtomicLong yielded = new AtomicLong();
    final AtomicLong lost = new AtomicLong();
    final AtomicLong handedBack = new AtomicLong();

    TaskmasterMetrics snapshot(int running) {
        return new TaskmasterMetrics(claimed.get(), succeeded.get(), failed.get(), retried.get(), yielded.get(),
                lost.get(), handedBack.get(), running);
    }
}
