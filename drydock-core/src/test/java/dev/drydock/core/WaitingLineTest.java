package dev.drydock.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.api.Lease;
import dev.drydock.api.LeaseRequest;
import dev.drydock.api.LeaseStatus;
import dev.drydock.taskqueue.Taskmaster;
import dev.drydock.testing.Await;
import dev.drydock.testing.LeakCheck;
import dev.drydock.testing.PostgresExtension;
import dev.drydock.testing.ScriptedBlueprint;
import dev.drydock.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The fairness rule (docs/planner.md, "Fairness"): room that appears goes to the oldest waiting
 * lease that can use it, even while that lease's own update cannot run yet (its taskmaster died
 * holding it), instead of to a younger request that happens to be looked at first.
 */
@ExtendWith({PostgresExtension.class, LeakCheck.class})
class WaitingLineTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** The kind of the task a dead taskmaster holds: no taskmaster here runs it. */
    private static final String HELD = "test.held-by-a-dead-taskmaster";

    private final ScriptedBlueprint hosts = new ScriptedBlueprint("scripted", "host");
    private TestDatabase db;
    private Drydock drydock;
    private Taskmaster taskmaster;

    @BeforeEach
    void start(TestDatabase db) {
        this.db = db;
        drydock = Drydock.builder(db.dataSource()).register(hosts).build();
        taskmaster = drydock.taskmaster().threads(4).pollInterval(Duration.ofMillis(100)).build().start();
    }

    @AfterEach
    void stop() throws Exception {
        db.execute("DELETE FROM tq_task WHERE kind = '" + HELD + "'");
        EngineCleanUp.destroyEverything(drydock);
        taskmaster.close();
        hosts.close();
        drydock.close();
    }

    @Test
    void aFreedPlaceIsHeldForTheOldestWaitingLeaseNotTakenByAYoungerOne() throws Exception {
        String blueprint = "line-" + System.nanoTime();
        drydock.blueprints().create(blueprint, "scripted", "{\"capacity\": 1}", 1);
        LeaseRequest host = LeaseRequest.builder("host").blueprint(blueprint).acquireDeadline(Duration.ofMinutes(2)).build();
        Lease holder = drydock.allocator().acquire(host).await(WAIT);
        Lease older = drydock.allocator().acquire(host);
        Await.until("the older lease waits for room", WAIT, () -> older.info().statusReason().startsWith("waiting for room"));
        holdUpdatesOf(older.id());

        holder.release();
        Lease younger = drydock.allocator().acquire(host);

        Await.until("the younger lease sees the place held", WAIT,
                () -> younger.info().statusReason().contains("held for older waiting lease " + older.id()));
        Thread.sleep(1_000); // and keeps out of it: more updates of it come and go meanwhile
        assertThat(younger.info().status()).isEqualTo(LeaseStatus.PENDING);
        assertThat(db.queryLong("SELECT count(*) FROM dd_lease WHERE status IN ('ACQUIRED', 'ACTIVE')"))
                .as("leases on the one place while the oldest cannot take it yet").isZero();

        db.execute("DELETE FROM tq_task WHERE kind = '" + HELD + "'"); // its update is free to run again
        // and due now, not at the end of the backoff its waits grew meanwhile (as a release wakes it)
        db.execute("UPDATE tq_task SET run_after = now() WHERE state = 'queued' AND serial_key = 'lease:" + older.id() + "'");
        older.await(WAIT);
        assertThat(younger.info().status()).as("the younger still waits: the older took the place").isEqualTo(LeaseStatus.PENDING);

        older.release();
        younger.await(WAIT);
        younger.release();
    }

    @Test
    void leasesThatWaitAreServedInArrivalOrderWhileNewOnesKeepComing() throws Exception {
        String blueprint = "order-" + System.nanoTime();
        drydock.blueprints().create(blueprint, "scripted", "{\"capacity\": 1}", 1);
        LeaseRequest host = LeaseRequest.builder("host").blueprint(blueprint).acquireDeadline(Duration.ofMinutes(2)).build();
        Lease current = drydock.allocator().acquire(host).await(WAIT);
        java.util.List<Lease> waiting = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Lease lease = drydock.allocator().acquire(host);
            Await.until("lease " + lease.id() + " waits", WAIT, () -> lease.info().statusReason().startsWith("waiting"));
            waiting.add(lease);
        }
        java.util.List<Long> served = new java.util.ArrayList<>();
        while (!waiting.isEmpty()) {
            current.release();
            waiting.add(drydock.allocator().acquire(host)); // a newcomer with every release
            Lease next = waiting.removeFirst();
            current = next.await(WAIT);
            served.add(next.id());
            if (served.size() == 6) {
                break;
            }
        }
        current.release();
        waiting.forEach(Lease::release);
        assertThat(served).as("activation order").isSorted();
    }

    /**
     * Makes the lease's updates wait as behind a taskmaster that died while running one: a running
     * task under the lease's serialization key whose task lease lasts an hour.
     */
    private void holdUpdatesOf(long leaseId) {
        Await.until("a running update of lease " + leaseId + " to end", WAIT, () -> {
            try (Connection c = db.connect(); Statement s = c.createStatement()) {
                s.executeUpdate("INSERT INTO tq_task (kind, payload, state, max_attempts, backoff_ms, backoff_max_ms, serial_key, owner,"
                        + " claim_id, started_at, lease_expires_at, attempt) VALUES ('" + HELD + "', '{}', 'running', 1, 0, 0, 'lease:"
                        + leaseId + "', 'dead-taskmaster', nextval('tq_claim_seq'), now(), now() + interval '1 hour', 1)");
                return true;
            } catch (SQLException e) {
                return false; // its own update runs just now: the key is taken
            }
        });
    }
}
