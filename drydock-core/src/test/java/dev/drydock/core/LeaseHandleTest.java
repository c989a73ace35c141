package dev.drydock.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.drydock.api.Command;
import dev.drydock.api.Lease;
import dev.drydock.api.LeaseBrokenException;
import dev.drydock.api.LeaseInfo;
import dev.drydock.api.LeaseRequest;
import dev.drydock.api.LeaseStatus;
import dev.drydock.api.LeaseTimeoutException;
import dev.drydock.api.LeaseWaitInterruptedException;
import dev.drydock.blueprint.localhost.LocalHostBlueprint;
import dev.drydock.testing.Await;
import dev.drydock.testing.PostgresExtension;
import dev.drydock.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** What a holder's handle promises: waits that stop when told, wake every waiter, end with the clean-up; withLease. */
@ExtendWith(PostgresExtension.class)
class LeaseHandleTest {
    private static final Duration LONG = Duration.ofMinutes(5);

    @TempDir
    static Path temp;

    private static DrydockFixture fx;

    @BeforeAll
    static void setUp(TestDatabase db) throws Exception {
        fx = new DrydockFixture(db);
        fx.drydock.blueprints().create("local", "local-host", fx.config(1), 1); // one lease at a time
        Path none = Files.createTempDirectory(temp, "drydock-none");
        fx.drydock.blueprints().create("none", "local-host", "{\"root\": \"" + none + "\"}", 0); // a lease of it waits for room
    }

    @AfterAll
    static void tearDown() {
        fx.close();
    }

    @AfterEach
    void everyLeaseWasGivenBack() {
        assertThat(fx.count("SELECT count(*) FROM dd_lease WHERE status IN ('PENDING', 'ACQUIRED', 'ACTIVE')"))
                .as("leases still held after the test").isZero();
    }

    private static Lease acquire(String blueprint) {
        return fx.drydock.allocator().acquire(LeaseRequest.builder("host").blueprint(blueprint).build());
    }

    @Test
    void anInterruptedAwaitStopsAtOnceAndKeepsTheInterrupt() throws Exception {
        Lease lease = acquire("none");
        AtomicReference<RuntimeException> thrown = new AtomicReference<>();
        AtomicBoolean stillInterrupted = new AtomicBoolean();
        Thread holder = Thread.ofPlatform().name("holder").start(() -> {
            try {
                lease.await(LONG);
            } catch (RuntimeException e) {
                thrown.set(e);
                stillInterrupted.set(Thread.currentThread().isInterrupted());
            }
        });
        Await.until("the holder waits for a change", Duration.ofSeconds(30), () -> waitsForAChange(holder));

        holder.interrupt();
        holder.join(Duration.ofSeconds(10)); // the await itself would go on for minutes

        assertThat(holder.isAlive()).as("the holder still waits after its interrupt").isFalse();
        assertThat(thrown.get()).isInstanceOf(LeaseWaitInterruptedException.class).hasMessageContaining("lease " + lease.id())
                .hasMessageContaining("interrupted");
        assertThat(stillInterrupted).as("the thread's interrupt status is kept").isTrue();
        assertThat(fx.count("SELECT count(*) FROM dd_lease WHERE id = " + lease.id() + " AND status = 'PENDING'"))
                .as("the lease is left as it was").isOne();
        lease.release();
    }

    @Test
    void anAwaitStartedWithTheThreadInterruptedStopsAtOnce() {
        Lease lease = acquire("none");
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> lease.await(LONG)).isInstanceOf(LeaseWaitInterruptedException.class);
            assertThatThrownBy(() -> lease.awaitEnded(LONG)).isInstanceOf(LeaseWaitInterruptedException.class);
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
        lease.release();
    }

    @Test
    void anInterruptedHolderStillReleasesWhenItMustWaitForAConnection(TestDatabase db) throws Exception {
        try (HikariDataSource pool = new HikariDataSource()) {
            pool.setJdbcUrl(db.jdbcUrl());
            pool.setUsername(db.user());
            pool.setPassword(db.password());
            pool.setMaximumPoolSize(2); // one for lease events, one for statements
            try (Drydock drydock = Drydock.builder(pool).register(new LocalHostBlueprint()).build()) {
                Lease lease = drydock.allocator().acquire(LeaseRequest.builder("host").blueprint("none").build());
                AtomicReference<Throwable> failed = new AtomicReference<>();
                AtomicBoolean stillInterrupted = new AtomicBoolean();
                Thread holder;
                try (Connection busy = pool.getConnection()) { // every statement now waits for a connection
                    holder = Thread.ofPlatform().start(() -> {
                        Thread.currentThread().interrupt(); // as after an interrupted await
                        try (lease) {
                            // nothing: leaving the block releases the lease
                        } catch (RuntimeException e) {
                            failed.set(e);
                        }
                        stillInterrupted.set(Thread.currentThread().isInterrupted());
                    });
                    Await.until("the release waits for a connection (or gave up)", Duration.ofSeconds(30),
                            () -> waitsForAConnection(holder) || !holder.isAlive());
                }
                holder.join(Duration.ofSeconds(30));

                assertThat(failed.get()).as("the release failed").isNull();
                assertThat(stillInterrupted).as("the interrupt is kept").isTrue();
                assertThat(fx.count("SELECT count(*) FROM dd_lease WHERE id = " + lease.id() + " AND status IN ('RELEASED', 'DESTROYED')"))
                        .isOne();
            }
        }
    }

    private static boolean waitsForAConnection(Thread thread) {
        return thread.getState() == Thread.State.TIMED_WAITING
                && Arrays.stream(thread.getStackTrace()).anyMatch(f -> f.getClassName().contains("HikariPool"));
    }

    @Test
    void twoThreadsAwaitingOneLeaseAreBothWokenWhenItBecomesActive() throws Exception {
        Lease first = acquire("local").await(Duration.ofSeconds(30)); // holds the only place
        Lease waiting = acquire("local");
        Lease sameLease = fx.drydock.allocator().attach(waiting.id(), waiting.ownerToken());
        Await.until("the second lease waits for room", Duration.ofSeconds(30), () -> waiting.info().statusReason().contains("waiting for room"));
        CompletableFuture<Lease> oneAwaited = new CompletableFuture<>();
        CompletableFuture<Lease> otherAwaited = new CompletableFuture<>();
        Thread one = Thread.ofPlatform().start(() -> awaitInto(waiting, oneAwaited));
        Thread other = Thread.ofPlatform().start(() -> awaitInto(sameLease, otherAwaited));
        Await.until("both threads wait", Duration.ofSeconds(30), () -> waitsForAChange(one) && waitsForAChange(other));

        first.release(); // makes room: the waiting lease becomes active

        // Each would otherwise wait minutes; the one-a-second poll fallback is shown not to be what
        // wakes the second by LeaseEventsTest.
        assertThat(oneAwaited.get(30, TimeUnit.SECONDS)).isSameAs(waiting);
        assertThat(otherAwaited.get(30, TimeUnit.SECONDS)).isSameAs(sameLease);
        assertThat(waiting.info().status()).isEqualTo(LeaseStatus.ACTIVE);
        waiting.release();
    }

    @Test
    void awaitEndedReturnsOnceTheLeaseIsCleanedUp() {
        Lease lease = acquire("local").await(Duration.ofSeconds(30));
        Path directory = Path.of(lease.info().leaseAttributes().get("directory"));
        assertThatThrownBy(() -> lease.awaitEnded(Duration.ofMillis(200))).as("waiting does not end an active lease")
                .isInstanceOf(LeaseTimeoutException.class).hasMessageContaining("ACTIVE").hasMessageContaining("release it first");

        lease.release();
        LeaseInfo ended = lease.awaitEnded(Duration.ofSeconds(30));

        assertThat(ended.status()).isEqualTo(LeaseStatus.DESTROYED);
        assertThat(directory).as("the clean-up is done when it returns").doesNotExist();
        assertThat(lease.awaitEnded(Duration.ZERO)).as("an ended lease answers at once").isEqualTo(ended);
    }

    @Test
    void withLeaseRunsTheBodyOnAnActiveLeaseAndReturnsOnceItIsCleanedUp() {
        AtomicLong id = new AtomicLong();
        String out = fx.drydock.allocator().withLease(LeaseRequest.builder("host").blueprint("local").build(),
                Duration.ofSeconds(30), Duration.ofSeconds(30), lease -> {
                    id.set(lease.id());
                    assertThat(lease.info().status()).isEqualTo(LeaseStatus.ACTIVE);
                    return lease.commandInterface().run(Command.of("echo", "hi")).stdoutText().strip();
                });

        assertThat(out).isEqualTo("hi");
        assertThat(fx.count("SELECT count(*) FROM dd_lease WHERE id = " + id.get() + " AND status = 'DESTROYED'")).isOne();
    }

    @Test
    void withLeasePassesOnWhatTheBodyThrowsAndReleasesTheLease() {
        IOException failure = new IOException("the build failed");
        AtomicLong id = new AtomicLong();

        assertThatThrownBy(() -> fx.drydock.allocator().withLease(LeaseRequest.builder("host").blueprint("local").build(),
                Duration.ofSeconds(30), lease -> {
                    id.set(lease.id());
                    throw failure; // a checked exception, declared by withLease in turn
                })).isSameAs(failure);

        assertThat(fx.count("SELECT count(*) FROM dd_lease WHERE id = " + id.get() + " AND status IN ('RELEASED', 'DESTROYED')"))
                .as("released before withLease returned").isOne();
        assertThat(failure.getSuppressed()).isEmpty();
    }

    @Test
    void withLeaseThatTimesOutWaitingCancelsTheRequestWithoutRunningTheBody() {
        AtomicBoolean ran = new AtomicBoolean();
        long before = fx.count("SELECT coalesce(max(id), 0) FROM dd_lease");

        assertThatThrownBy(() -> fx.drydock.allocator().withLease(LeaseRequest.builder("host").blueprint("none").build(),
                Duration.ofMillis(300), lease -> ran.getAndSet(true))).isInstanceOf(LeaseTimeoutException.class);

        assertThat(ran).as("the body ran").isFalse();
        assertThat(fx.count("SELECT count(*) FROM dd_lease WHERE id > " + before + " AND status IN ('RELEASED', 'DESTROYED')"))
                .as("the request was cancelled").isOne();
    }

    @Test
    void withLeaseOfALeaseThatBreaksSaysWhy() {
        Lease blocker = acquire("local").await(Duration.ofSeconds(30));
        CompletableFuture<Void> attempt = CompletableFuture.runAsync(() -> fx.drydock.allocator()
                .withLease(LeaseRequest.builder("host").blueprint("local").build(), LONG, lease -> null));
        Await.until("the second lease waits for room", Duration.ofSeconds(30),
                () -> fx.count("SELECT count(*) FROM dd_lease WHERE status = 'PENDING' AND status_reason LIKE 'waiting for room%'") == 1);
        long waiting = fx.count("SELECT id FROM dd_lease WHERE status = 'PENDING'");

        fx.drydock.releaseLease(waiting, "tester");

        assertThatThrownBy(() -> attempt.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(LeaseBrokenException.class)
                .hasMessageContaining("released by operator tester");
        blocker.release();
    }

    private static void awaitInto(Lease lease, CompletableFuture<Lease> awaited) {
        try {
            awaited.complete(lease.await(LONG));
        } catch (RuntimeException e) {
            awaited.completeExceptionally(e);
        }
    }

    /** Whether {@code thread} is parked waiting for a change of a lease (not reading it). */
    private static boolean waitsForAChange(Thread thread) {
        return thread.getState() == Thread.State.TIMED_WAITING
                && Arrays.stream(thread.getStackTrace()).anyMatch(f -> f.getMethodName().equals("awaitBeyond"));
    }
}
