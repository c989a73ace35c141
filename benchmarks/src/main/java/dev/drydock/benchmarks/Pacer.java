package dev.drydock.benchmarks;

import java.util.concurrent.locks.LockSupport;

/** Calls an action at a steady rate for a duration, on one thread, catching up if it falls behind. */
final class Pacer {
    private Pacer() {}

    static int run(int perSecond, int seconds, Runnable action) {
        long interval = 1_000_000_000L / perSecond;
        long start = System.nanoTime();
        int total = perSecond * seconds;
        for (int i = 0; i < total; i++) {
            long due = start + i * interval;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            action.run();
        }
        return total;
    }
}
