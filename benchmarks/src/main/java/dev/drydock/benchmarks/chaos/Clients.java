package dev.drydock.benchmarks.chaos;

import dev.drydock.api.DatabaseUnavailableException;
import dev.drydock.api.DrydockException;
import dev.drydock.api.Lease;
import dev.drydock.api.LeaseRequest;
import dev.drydock.core.Drydock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The run's clients: each leases through the Java API in a loop — acquire, wait until ACTIVE, hold
 * for 0.5–1.5 s, release — and records what it saw. A call that fails (the database is restarting)
 * is recorded and tried again after a second.
 */
final class Clients {
    private static final Duration AWAIT = Duration.ofMinutes(3);

    private final Drydock drydock;
    private final LeaseRequest request;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final List<LeaseRecord> records = new ArrayList<>();
    private final AtomicInteger refusedCalls = new AtomicInteger();
    private final List<Thread> threads = new ArrayList<>();

    Clients(Drydock drydock, String blueprint) {
        this.drydock = drydock;
        this.request = LeaseRequest.builder("host").blueprint(blueprint).acquireDeadline(AWAIT).build();
    }

    void start(int count) {
        for (int i = 0; i < count; i++) {
            threads.add(Thread.ofVirtual().name("chaos-client-" + i).start(this::loop));
        }
    }

    /** Lets every client finish the lease it holds, then returns. */
    void stop() throws InterruptedException {
        stopping.set(true);
        for (Thread t : threads) {
            t.join(AWAIT.toMillis() + 60_000);
        }
    }

    synchronized List<LeaseRecord> records() {
        return List.copyOf(records);
    }

    int refusedCalls() {
        return refusedCalls.get();
    }

    private void loop() {
        while (!stopping.get()) {
            Instant requested = Instant.now();
            Lease lease;
            try {
                lease = drydock.allocator().acquire(request);
            } catch (DrydockException e) {
                refusedCalls.incrementAndGet(); // no lease made, or one made whose id we never learnt: see the report
                pause(Duration.ofSeconds(1));
                continue;
            }
            Optional<Instant> active = Optional.empty();
            Optional<String> failure = Optional.empty();
            try {
                awaitActive(lease, requested);
                active = Optional.of(Instant.now());
                pause(Duration.ofMillis(ThreadLocalRandom.current().nextLong(500, 1_500)));
            } catch (DrydockException e) {
                failure = Optional.of(e.getMessage());
            }
            Optional<Instant> released = release(lease);
            synchronized (this) {
                records.add(new LeaseRecord(lease.id(), requested, active, released, failure));
            }
        }
    }

    /** Waits until the lease is ACTIVE, waiting on while the database restarts: the lease goes on without us. */
    private void awaitActive(Lease lease, Instant requested) {
        while (true) {
            try {
                Duration left = AWAIT.minus(Duration.between(requested, Instant.now()));
                lease.await(left.isNegative() ? Duration.ofSeconds(1) : left); // past its deadline it breaks, and await says so
                return;
            } catch (DatabaseUnavailableException e) {
                refusedCalls.incrementAndGet();
                pause(Duration.ofSeconds(1));
            }
        }
    }

    /** Releases, trying again while the database restarts. */
    private Optional<Instant> release(Lease lease) {
        for (int attempt = 0; attempt < 120; attempt++) {
            try {
                lease.release();
                return Optional.of(Instant.now());
            } catch (DrydockException e) {
                refusedCalls.incrementAndGet();
                pause(Duration.ofSeconds(1));
            }
        }
        return Optional.empty();
    }

    private static void pause(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
