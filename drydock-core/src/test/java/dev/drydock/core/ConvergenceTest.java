package dev.drydock.core;

import static dev.drydock.testing.ScriptedBlueprint.Step.ACQUIRE_LEASE;
import static dev.drydock.testing.ScriptedBlueprint.Step.ACTIVATE;
import static dev.drydock.testing.ScriptedBlueprint.Step.ALLOCATE;
import static dev.drydock.testing.ScriptedBlueprint.Step.DESTROY;
import static dev.drydock.testing.ScriptedBlueprint.Step.SHOULD_KEEP;
import static dev.drydock.testing.ScriptedOutcome.checkAgainIn;
import static dev.drydock.testing.ScriptedOutcome.done;
import static dev.drydock.testing.ScriptedOutcome.failed;
import static dev.drydock.testing.ScriptedOutcome.throwing;
import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.api.Lease;
import dev.drydock.api.LeaseRequest;
import dev.drydock.taskqueue.Taskmaster;
import dev.drydock.testing.Await;
import dev.drydock.testing.PostgresExtension;
import dev.drydock.testing.ScriptedBlueprint;
import dev.drydock.testing.ScriptedOutcome;
import dev.drydock.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every blueprint step converges or breaks: a step that throws is tried again for as long as it
 * takes, a build that never finishes breaks at its timeout, a lease that is never prepared breaks
 * at its deadline, a lost task is queued again, and a refused configuration fails only its own
 * blueprint's leases. After each, no engine task was given up by the queue.
 */
@ExtendWith(PostgresExtension.class)
class ConvergenceTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private TestDatabase db;

    @BeforeEach
    void setUp(TestDatabase db) {
        this.db = db;
    }

    @AfterEach
    void noEngineTaskWasGivenUp() {
        assertThat(db.queryLong("SELECT count(*) FROM tq_task_archive WHERE outcome = 'failed' AND kind LIKE 'drydock.%'"))
                .as("engine tasks archived as failed").isZero();
    }



    /** The condition for rows of the named blueprint: the test class's tests share one database. */
    private static String of(String blueprint) {
        return "blueprint_id = (SELECT id FROM dd_blueprint WHERE name = '" + blueprint + "')";
    }

    private String text(String sql) throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    @Test
    void aBuildThatThrowsLongerThanTheQueuesRetriesStrandsNothingAndIsServedOnceItStops() throws Exception {
        ScriptedBlueprint blueprint = new ScriptedBlueprint("scripted-throws", "box-throws")
                .otherwise(ALLOCATE, throwing("the cloud says: request limit exceeded"));
        try (Drydock drydock = TestDrydocks.with(db, blueprint); Taskmaster tm = TestDrydocks.taskmaster(drydock, 8)) {
            drydock.blueprints().create("throws", blueprint.type(), "{\"capacity\": 1}", 1);
            Lease lease = drydock.allocator().acquire(LeaseRequest.builder("box-throws").build());
            // the queue used to give a task up after 10 attempts
            Await.until("the build failed more than the queue's old retry budget", WAIT, () ->
                    db.queryLong("SELECT coalesce(max((attributes ->> 'drydock.step_failures')::int), 0) FROM dd_resource WHERE " + of("throws")) >= 12);

            assertThat(text("SELECT status || ': ' || status_reason FROM dd_resource WHERE " + of("throws")))
                    .startsWith("PENDING").contains("request limit exceeded").contains("trying again in");
            assertThat(db.queryLong("SELECT count(*) FROM tq_task t JOIN dd_resource r ON t.serial_key = 'resource:' || r.id WHERE r." + of("throws"))).as("its build is still queued").isEqualTo(1);
            assertThat(db.queryLong("SELECT count(*) FROM dd_log WHERE message LIKE '%request limit exceeded%'"))
                    .as("each failure is in the log").isGreaterThanOrEqualTo(12);

            blueprint.otherwise(ALLOCATE, done());
            lease.await(WAIT);
            assertThat(db.queryLong("SELECT count(*) FROM dd_resource WHERE status = 'ACTIVE' AND " + of("throws")))
                    .as("the place in the limit of 1 was never lost").isEqualTo(1);
            assertThat(text("SELECT status_reason FROM dd_resource WHERE " + of("throws"))).isEqualTo("built and ready");
            lease.release();
        }
    }

    @Test
    void aBuildThatKeepsCheckingAgainPastItsTimeoutBreaksIsDestroyedAndItsLeaseIsServedByAnother() throws Exception {
        // The first build checks again for good; the second one's allocate waits until the test has
        // let builds finish (with a limit of 1 it starts only once the first gave its place back).
        ScriptedOutcome.Hangs secondBuild = ScriptedOutcome.hangs();
        ScriptedBlueprint blueprint = new ScriptedBlueprint("scripted-hangs", "box-hangs")
                .script(ALLOCATE, done(), secondBuild)
                .otherwise(ACTIVATE, checkAgainIn(Duration.ofMillis(200), "the machine to boot"));
        try (Drydock drydock = TestDrydocks.with(db, blueprint); Taskmaster tm = TestDrydocks.taskmaster(drydock, 8); blueprint) {
            drydock.blueprints().create("hangs", blueprint.type(), "{\"capacity\": 1, \"buildTimeoutMs\": 1500}", 1);
            Lease lease = drydock.allocator().acquire(LeaseRequest.builder("box-hangs").build());
            secondBuild.awaitReached(WAIT);
            blueprint.otherwise(ACTIVATE, done());
            secondBuild.release();
            lease.await(WAIT);

            long first = blueprint.calls(ALLOCATE).getFirst().resourceId();
            assertThat(text("SELECT status FROM dd_resource WHERE id = " + first)).isEqualTo("DESTROYED");
            assertThat(text("SELECT status_reason FROM dd_resource WHERE id = " + first))
                    .contains("build timeout of 1.5 s").contains("the machine to boot");
            assertThat(text("SELECT resource_id FROM dd_lease WHERE id = " + lease.id())).isNotEqualTo(Long.toString(first));
            assertThat(db.queryLong("SELECT resource_count FROM dd_blueprint WHERE name = 'hangs'"))
                    .as("the timed-out resource gave its place back").isEqualTo(1);
            lease.release();
        }
    }

    @Test
    void aDestroyThatFailsIsShownToOperatorsAndKeepsItsPlaceUntilItSucceeds() throws Exception {
        ScriptedBlueprint blueprint = new ScriptedBlueprint("scripted-sticky", "box-sticky")
                .otherwise(SHOULD_KEEP, failed("keeps no idle resources"))
                .otherwise(DESTROY, throwing("the host does not answer"));
        try (Drydock drydock = TestDrydocks.with(db, blueprint); Taskmaster tm = TestDrydocks.taskmaster(drydock, 8)) {
            drydock.blueprints().create("sticky", blueprint.type(), "{\"capacity\": 1}", 1);
            Lease lease = drydock.allocator().acquire(LeaseRequest.builder("box-sticky").build());
            lease.await(WAIT);
            lease.release();

            DestroyFailures failing = Await.value("the failing destroy is counted", WAIT, () -> {
                DestroyFailures f = drydock.destroyFailures(5);
                return f.count() == 1 && f.latest().getFirst().reason().contains("(3 tries)") ? f : null;
            });
            assertThat(failing.latest().getFirst().blueprint()).isEqualTo("sticky");
            assertThat(failing.latest().getFirst().reason()).contains("the host does not answer").contains("trying again in");
            assertThat(db.queryLong("SELECT resource_count FROM dd_blueprint WHERE name = 'sticky'"))
                    .as("it holds its place until it is gone").isEqualTo(1);

            blueprint.otherwise(DESTROY, done());
            Await.until("the destroy succeeds", WAIT, () -> db.queryLong("SELECT count(*) FROM dd_resource WHERE status = 'DESTROYED' AND " + of("sticky")) == 1);
            assertThat(drydock.destroyFailures(5).count()).isZero();
            assertThat(db.queryLong("SELECT resource_count FROM dd_blueprint WHERE name = 'sticky'")).isZero();
        }
    }

    @Test
    void anAcquiredLeasePastItsDeadlineBreaksNamingWhatItWaitedFor() throws Exception {
        ScriptedBlueprint blueprint = new ScriptedBlueprint("scripted-slow-lease", "box-slow-lease")
                .otherwise(ACQUIRE_LEASE, checkAgainIn(Duration.ofMillis(200), "the disk to attach"));
        try (Drydock drydock = TestDrydocks.with(db, blueprint); Taskmaster tm = TestDrydocks.taskmaster(drydock, 8)) {
            drydock.blueprints().create("slow-lease", blueprint.type(), "{\"capacity\": 1}", 1);
            Lease lease = drydock.allocator().acquire(LeaseRequest.builder("box-slow-lease").acquireDeadline(Duration.ofSeconds(3)).build());
            Await.until("the acquired lease shows what it waits for", WAIT, () ->
                    db.queryLong("SELECT count(*) FROM dd_lease WHERE id = " + lease.id()
                            + " AND status = 'ACQUIRED' AND status_reason LIKE '%the disk to attach%'") == 1);

            Await.until("the lease ends", WAIT, () -> db.queryLong("SELECT count(*) FROM dd_lease WHERE id = " + lease.id()
                    + " AND status = 'DESTROYED'") == 1);

            assertThat(text("SELECT status_reason FROM dd_lease WHERE id = " + lease.id()))
                    .contains("acquire deadline").contains("the disk to attach");
            assertThat(db.queryLong("SELECT active_leases FROM dd_resource WHERE " + of("slow-lease"))).as("its share of the resource is back").isZero();
        }
    }

    @Test
    void theJanitorQueuesAgainTheUpdateOfALeaseWhoseTaskWasLost() throws Exception {
        ScriptedBlueprint blueprint = new ScriptedBlueprint("scripted-orphan", "box-orphan");
        try (Drydock drydock = TestDrydocks.with(db, blueprint)) {
            drydock.blueprints().create("orphan", blueprint.type(), "{\"capacity\": 1}", 1);
            Lease lease = drydock.allocator().acquire(LeaseRequest.builder("box-orphan").build()); // no taskmaster yet
            try (Connection c = db.connect(); Statement s = c.createStatement()) {
                // what a crash between a state change and its task would leave (a bug; the two commit together)
                assertThat(s.executeUpdate("DELETE FROM tq_task WHERE serial_key = 'lease:" + lease.id() + "'")).isEqualTo(1);
                // and long enough ago that the janitor's first sweep takes it for lost, not for a change still committing
                assertThat(s.executeUpdate("UPDATE dd_lease SET updated_at = now() - interval '1 minute' WHERE id = " + lease.id())).isEqualTo(1);
            }
            try (Taskmaster tm = TestDrydocks.taskmaster(drydock, 8)) {
                lease.await(WAIT);
            }
            assertThat(db.queryLong("SELECT count(*) FROM dd_lease WHERE id = " + lease.id() + " AND status = 'ACTIVE'")).isEqualTo(1);
            lease.release();
        }
    }

    @Test
    void aStoredConfigurationTheCodeRefusesBreaksOnlyItsOwnBlueprintsLeases() throws Exception {
        ScriptedBlueprint good = new ScriptedBlueprint("scripted-good", "box-good");
        ScriptedBlueprint bad = new ScriptedBlueprint("scripted-bad", "box-bad");
        try (Drydock drydock = TestDrydocks.with(db, good, bad)) {
            drydock.blueprints().create("good", good.type(), "{\"capacity\": 4}", 1);
            drydock.blueprints().create("bad", bad.type(), "{\"capacity\": 4}", 1);
            try (Connection c = db.connect(); Statement s = c.createStatement()) {
                // as if written by an older version whose configuration this code no longer reads
                s.executeUpdate("UPDATE dd_blueprint SET config = '{\"capacity\": \"lots\"}' WHERE name = 'bad'");
            }
            // requested while no taskmaster runs, so that they are taken as one batch
            Lease refused = drydock.allocator().acquire(LeaseRequest.builder("box-bad").build());
            Lease first = drydock.allocator().acquire(LeaseRequest.builder("box-good").build());
            Lease second = drydock.allocator().acquire(LeaseRequest.builder("box-good").build());
            try (Taskmaster tm = TestDrydocks.taskmaster(drydock, 8)) {
                first.await(WAIT);
                second.await(WAIT);
                Await.until("the refused blueprint's lease breaks", WAIT, () ->
                        db.queryLong("SELECT count(*) FROM dd_lease WHERE id = " + refused.id() + " AND status IN ('BROKEN', 'DESTROYED')") == 1);
            }
            assertThat(text("SELECT status_reason FROM dd_lease WHERE id = " + refused.id()))
                    .contains("bad (its stored configuration is refused").contains("capacity").contains("blueprint update")
                    .doesNotContain("Exception").doesNotContain("jackson");
            assertThat(db.queryLong("SELECT count(*) FROM dd_lease WHERE status = 'ACTIVE' AND id IN (" + first.id() + ", " + second.id() + ")")).isEqualTo(2);
            first.release();
            second.release();
        }
    }

    @Test
    void theJanitorOutlivesItsOwnFailuresAndKeepsExpiringLeases() throws Exception {
        ScriptedBlueprint blueprint = new ScriptedBlueprint("scripted-janitor", "box-janitor")
                .otherwise(SHOULD_KEEP, throwing("keep-or-not lookup failed"));
        try (Drydock drydock = TestDrydocks.with(db, blueprint); Taskmaster tm = TestDrydocks.taskmaster(drydock, 8)) {
            drydock.blueprints().create("janitor", blueprint.type(), "{\"capacity\": 1}", 2);
            Lease idle = drydock.allocator().acquire(LeaseRequest.builder("box-janitor").build());
            idle.await(WAIT);
            idle.release(); // its resource stays, idle: every janitor pass asks about it, and the blueprint throws
            Await.until("the janitor met the failure more often than the queue's old retry budget", WAIT,
                    () -> blueprint.calls(SHOULD_KEEP).size() >= 12);

            Lease expiring = drydock.allocator().acquire(LeaseRequest.builder("box-janitor").ttl(Duration.ofSeconds(1)).build());
            expiring.await(WAIT);
            Await.until("the janitor still expires TTLs", WAIT, () ->
                    db.queryLong("SELECT count(*) FROM dd_lease WHERE id = " + expiring.id() + " AND status_reason LIKE '%TTL ran out%'") == 1);
            assertThat(db.queryLong("SELECT count(*) FROM tq_task WHERE kind = 'drydock.janitor'")).as("the janitor is still queued").isEqualTo(1);
        }
    }
}
