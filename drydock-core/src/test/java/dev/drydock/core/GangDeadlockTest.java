package dev.drydock.core;

import static dev.drydock.testing.ScriptedBlueprint.Step.ACQUIRE_LEASE;
import static dev.drydock.testing.ScriptedBlueprint.Step.ACTIVATE;
import static dev.drydock.testing.ScriptedBlueprint.Step.ALLOCATE;
import static dev.drydock.testing.ScriptedBlueprint.Step.CHECK_HEALTH;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drydock.api.Gang;
import dev.drydock.api.GangStatus;
import dev.drydock.api.LeaseBrokenException;
import dev.drydock.api.LeaseInfo;
import dev.drydock.api.LeaseRequest;
import dev.drydock.api.LeaseStatus;
import dev.drydock.taskqueue.Taskmaster;
import dev.drydock.testing.Await;
import dev.drydock.testing.LeakCheck;
import dev.drydock.testing.PostgresExtension;
import dev.drydock.testing.ScriptedBlueprint;
import dev.drydock.testing.ScriptedOutcome;
import dev.drydock.testing.TestDatabase;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Kubernetes coscheduling failure case (scheduler-plugins #114) and the gang's failure paths: a
 * gang that waits holds nothing, so two gangs on a pool too small for both are served one after the
 * other; a member that loses its build gives everything back and the gang is served on a later try;
 * a gang past its deadline breaks every member and leaves nothing behind. The invariants (no gang
 * partly active, no limit exceeded) are polled in SQL throughout.
 */
@ExtendWith({PostgresExtension.class, LeakCheck.class})
class GangDeadlockTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final ScriptedBlueprint blueprint = new ScriptedBlueprint();
    private TestDatabase db;
    private Drydock drydock;
    private Taskmaster taskmaster;
    private GangInvariants invariants;
    private String pool;

    @BeforeEach
    void start(TestDatabase db) {
        this.db = db;
        drydock = Drydock.builder(db.dataSource()).register(blueprint).build();
        taskmaster = drydock.taskmaster().threads(8).pollInterval(Duration.ofMillis(100)).build().start();
        invariants = new GangInvariants(db);
    }

    @AfterEach
    void destroyEverything() throws InterruptedException {
        blueprint.otherwise(ACTIVATE, ScriptedOutcome.done());
        blueprint.close();
        invariants.endEverything(drydock, taskmaster);
    }

    /** A blueprint of this test's own: every request of the test names it, so blueprints earlier tests left do not serve them. */
    private void pool(int limit) {
        pool = "pool-" + System.nanoTime();
        drydock.blueprints().create(pool, "scripted", "{\"capacity\": 1}", limit);
    }

    private LeaseRequest.Builder request() {
        return LeaseRequest.builder("scripted").blueprint(pool);
    }

    private List<LeaseRequest> members(int n, Duration deadline) {
        return Collections.nCopies(n, request().acquireDeadline(deadline).build());
    }

    @Test
    void twoGangsOfThreeOnAPoolOfFourAreServedOneAfterTheOther() throws Exception {
        pool(4);
        CountDownLatch go = new CountDownLatch(1);
        CompletableFuture<Gang> a = CompletableFuture.supplyAsync(() -> requestOnSignal(go));
        CompletableFuture<Gang> b = CompletableFuture.supplyAsync(() -> requestOnSignal(go));
        go.countDown();
        Gang one = a.get();
        Gang two = b.get();

        Gang first = Await.value("one of the gangs active", WAIT, () -> one.info().status() == GangStatus.ACTIVE ? one
                : two.info().status() == GangStatus.ACTIVE ? two : null);
        Gang second = first == one ? two : one;
        first.await(WAIT);
        // the second waits while the first holds 3 of the 4 places, and holds nothing meanwhile
        Thread.sleep(500);
        assertThat(second.info().status()).isEqualTo(GangStatus.WAITING);
        assertThat(second.info().statusReason()).contains("waiting for room for all 3 members");
        assertThat(second.info().members()).allSatisfy(m -> {
            assertThat(m.status()).isEqualTo(LeaseStatus.PENDING);
            assertThat(m.resourceId()).isEmpty();
            assertThat(m.statusReason()).contains("as a member of gang " + second.id());
        });
        assertThat(db.queryLong("SELECT count(*) FROM dd_lease WHERE gang_id = " + second.id() + " AND building_resource_id IS NOT NULL"))
                .as("builds the waiting gang holds").isZero();

        first.release();
        List<dev.drydock.api.Lease> active = second.await(WAIT);
        assertThat(active).hasSize(3);
        assertThat(second.info().status()).isEqualTo(GangStatus.ACTIVE);
        assertThat(db.queryLong("SELECT count(*) FROM dd_resource WHERE status <> 'DESTROYED'")).isLessThanOrEqualTo(4);
        second.release();
        Await.until("the first gang ended", WAIT, () -> first.info().status() == GangStatus.ENDED);
        assertThat(invariants.polls()).isPositive();
    }

    private Gang requestOnSignal(CountDownLatch go) {
        try {
            go.await();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        return drydock.allocator().acquireAll(members(3, LeaseRequest.DEFAULT_DEADLINE));
    }

    @Test
    void aMemberThatBreaksReleasesTheRestAndTheGangIsServedOnRetry() {
        pool(3);
        // the second build fails; the gang's other members had their places (and the first its build)
        blueprint.script(ALLOCATE, ScriptedOutcome.done(), ScriptedOutcome.failed("the cloud said no"));

        Gang gang = drydock.allocator().acquireAll(members(3, LeaseRequest.DEFAULT_DEADLINE));
        List<dev.drydock.api.Lease> active = gang.await(WAIT);

        assertThat(active).extracting(l -> l.info().status()).containsOnly(LeaseStatus.ACTIVE);
        assertThat(db.queryLong("SELECT count(*) FROM dd_log WHERE message LIKE 'gang " + gang.id() + " RESERVED -> WAITING: last try:%"
                + "could not be built%the cloud said no%'"))
                .as("log rows of the undone admission, one per member").isEqualTo(3);
        assertThat(db.queryLong("SELECT count(*) FROM dd_resource WHERE status <> 'DESTROYED'")).isLessThanOrEqualTo(3);
        gang.release();
    }

    @Test
    void aMemberWhoseResourceBreaksWhileTheGangIsPreparedIsPreparedAgainWhereverItIsPlacedNext() {
        pool(3);
        // the first member is prepared at once, the second takes a while: the gang stays RESERVED meanwhile
        blueprint.script(ACQUIRE_LEASE, ScriptedOutcome.done(), ScriptedOutcome.checkAgainIn(Duration.ofMillis(300)),
                ScriptedOutcome.checkAgainIn(Duration.ofMillis(300)), ScriptedOutcome.checkAgainIn(Duration.ofMillis(300)),
                ScriptedOutcome.checkAgainIn(Duration.ofMillis(300)), ScriptedOutcome.checkAgainIn(Duration.ofMillis(300)));
        blueprint.script(CHECK_HEALTH, ScriptedOutcome.failed("its disk is gone"));
        blueprint.checkHealthEvery(Duration.ofMillis(100));

        Gang gang = drydock.allocator().acquireAll(members(2, LeaseRequest.DEFAULT_DEADLINE));
        gang.await(WAIT);

        assertThat(db.queryLong("SELECT count(*) FROM dd_log WHERE message LIKE 'gang " + gang.id() + " RESERVED -> WAITING: last try:%'"))
                .as("the admission was undone").isPositive();
        for (LeaseInfo member : gang.info().members()) {
            assertThat(blueprint.calls(ACQUIRE_LEASE)).as("member %d prepared on the resource it is active on", member.id())
                    .contains(new ScriptedBlueprint.Call(ACQUIRE_LEASE, member.resourceId().orElseThrow(), java.util.Optional.of(member.id())));
        }
        blueprint.checkHealthEvery(Duration.ZERO);
        gang.release();
    }

    @Test
    void aWaitingGangWhoseTaskWasLostIsQueuedAgainAndServed() {
        pool(1);
        dev.drydock.api.Lease single = drydock.allocator().acquire(request().build()).await(WAIT);
        Gang gang = drydock.allocator().acquireAll(members(1, LeaseRequest.DEFAULT_DEADLINE));
        String task = "FROM tq_task WHERE serial_key = 'gang:" + gang.id() + "'";
        Await.until("the gang waits", WAIT, () -> gang.info().statusReason().contains("waiting for room"));
        Await.until("its task lost, as a crash would lose it", WAIT, () -> {
            db.queryLong("WITH d AS (DELETE " + task + " AND state = 'queued' RETURNING 1) SELECT count(*) FROM d");
            return db.queryLong("SELECT count(*) " + task + " AND state IN ('queued', 'running')") == 0;
        });
        // lost a while ago: the janitor's next sweep takes it for lost, not for a change still committing
        db.execute("UPDATE dd_gang SET updated_at = now() - interval '1 minute' WHERE id = " + gang.id());

        Await.until("the janitor queued it again", WAIT, () -> db.queryLong("SELECT count(*) " + task + " AND state IN ('queued', 'running')") > 0);
        single.release();
        gang.await(WAIT);
        gang.release();
    }

    @Test
    void aGangPastItsDeadlineBreaksEveryMemberAndLeaksNothing() {
        pool(3);
        // two members' resources are built and their places taken; the third's build never finishes
        blueprint.script(ACTIVATE, ScriptedOutcome.done(), ScriptedOutcome.done());
        blueprint.otherwise(ACTIVATE, ScriptedOutcome.checkAgainIn(Duration.ofMillis(200), "the host to boot"));

        Gang gang = drydock.allocator().acquireAll(List.of(
                request().build(),
                request().acquireDeadline(Duration.ofSeconds(3)).build(),
                request().build()));

        assertThat(gang.info().acquireDeadline()).as("the earliest of the members' deadlines")
                .isBefore(gang.info().createdAt().plusSeconds(4));
        assertThatThrownBy(() -> gang.await(WAIT)).isInstanceOf(LeaseBrokenException.class)
                .hasMessageContaining("lease " + gang.leases().getFirst().id())
                .hasMessageContaining("its gang " + gang.id() + " broke: not active by its acquire deadline");
        Await.until("every member destroyed", WAIT, () -> gang.info().members().stream().allMatch(m -> m.status() == LeaseStatus.DESTROYED));
        assertThat(gang.info().status()).isEqualTo(GangStatus.BROKEN);
        assertThat(gang.info().statusReason()).contains("not active by its acquire deadline");
        assertThat(gang.info().members()).extracting(LeaseInfo::statusReason).allSatisfy(r -> assertThat(r).contains("acquire deadline"));
        assertThat(gang.info().members()).extracting(LeaseInfo::activatedAt).allSatisfy(a -> assertThat(a).isEmpty());
        assertThat(db.queryLong("SELECT coalesce(sum(active_leases), 0) FROM dd_resource")).as("lease places still held").isZero();
        assertThat(db.queryLong("SELECT count(*) FROM dd_slot_lock WHERE owner_lease_id IS NOT NULL")).as("lease slot locks").isZero();
        assertThat(db.queryLong("SELECT count(*) FROM dd_blueprint WHERE gang_hold_lease_id IS NOT NULL")).as("FIFO holds").isZero();
    }
}
