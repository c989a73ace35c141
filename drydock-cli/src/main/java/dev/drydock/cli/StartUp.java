package dev.drydock.cli;

import dev.drydock.api.DatabaseUnavailableException;
import dev.drydock.taskqueue.Taskmaster;
import java.time.Duration;
import java.util.Locale;
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
 * unavailable database is waited out (refused connections, a server starting up or shutting down,
 * a connection lost mid-migration); any other failure ends the start-up, among them a login, database
 * or privilege the server refuses, which no wait mends.
 */
final class StartUp {
    private static final Logger log = LoggerFactory.getLogger(StartUp.class);
    // Short first waits catch a server that is merely restarting; the cap keeps a daemon that waited
    // long from starting more than 10 s after its database is back. Each attempt adds the pool's own
    // connection wait (see Session), so a dead server is asked at most every 15 s or so.
    static final Duration FIRST_WAIT = Duration.ofMillis(500);
    static final Duration MAX_WAIT = Duration.ofSeconds(10);

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
                log.warn("database at {} not available ({}); retrying in {} s", e.database(), e.reason(), seconds(wait));
            } finally {
                lock.unlock();
            }
            if (stopRequested.await(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                return Optional.empty();
            }
            wait = wait.multipliedBy(2).compareTo(MAX_WAIT) > 0 ? MAX_WAIT : wait.multipliedBy(2);
        }
    }

    /** {@code d} in seconds as people write them: "0.5", "2", "10". */
    static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? Long.toString(d.toSeconds()) : String.format(Locale.ROOT, "%.1f", d.toMillis() / 1000.0);
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
