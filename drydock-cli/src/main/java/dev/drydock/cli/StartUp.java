package dev.drydock.cli;

import dev.drydock.api.DatabaseUnavailableException;
import dev.drydock.taskqueue.Taskmaster;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the daemon's taskmaster once the database answers: while it does not, says so in one log
 * line per attempt and tries again after a wait that doubles up to {@link #MAX_WAIT}. A stop request
 * (SIGTERM) ends the waiting at once, and closes the taskmaster if it had started. Only an
 * unavailable database is waited out; any other failure ends the start-up.
 */
final class StartUp {
    private static final Logger log = LoggerFactory.getLogger(StartUp.class);
    static final Duration FIRST_WAIT = Duration.ofSeconds(1);
    static final Duration MAX_WAIT = Duration.ofSeconds(30);

    private final CountDownLatch stopRequested = new CountDownLatch(1);
    /** Held by an attempt, so that a stop either comes before it (and it does not start) or closes what it started. */
    private final ReentrantLock lock = new ReentrantLock();
    private Taskmaster started;

    /**
     * Runs {@code attempt} until it gives a started taskmaster; empty if a stop came first.
     *
     * @throws InterruptedException the waiting thread was interrupted
     */
    Optional<Taskmaster> start(Supplier<Taskmaster> attempt) throws InterruptedException {
        Duration wait = FIRST_WAIT;
        while (true) {
            lock.lock();
            try {
                if (stopRequested.getCount() == 0) {
                    return Optional.empty();
                }
                started = attempt.get();
                return Optional.of(started);
            } catch (DatabaseUnavailableException e) {
                log.warn("database at {} not available ({}); retrying in {} s", e.database(), e.reason(), wait.toSeconds());
            } finally {
                lock.unlock();
            }
            if (stopRequested.await(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                return Optional.empty();
            }
            wait = wait.multipliedBy(2).compareTo(MAX_WAIT) > 0 ? MAX_WAIT : wait.multipliedBy(2);
        }
    }

    /** Ends a start-up still waiting for the database, or closes the taskmaster it started (graceful). */
    void stop() {
        stopRequested.countDown();
        lock.lock();
        try {
            if (started != null) {
                started.close();
            }
        } finally {
            lock.unlock();
        }
    }
}
