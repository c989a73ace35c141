package dev.drydock.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drydock.api.InvalidRequestException;
import dev.drydock.api.Lease;
import dev.drydock.api.LeaseRequest;
import dev.drydock.api.WarmPoolInfo;
import dev.drydock.taskqueue.Taskmaster;
import dev.drydock.testing.Await;
import dev.drydock.testing.LeakCheck;
import dev.drydock.testing.PostgresExtension;
import dev.drydock.testing.ScriptedBlueprint;
import dev.drydock.testing.ScriptedBlueprint.Step;
import dev.drydock.testing.ScriptedOutcome;
import dev.drydock.testing.TestDatabase;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Warm pools (docs/planner.md): a blueprint keeps {@code minReady} idle, ready resources — idle,
 * not total — building when one is taken, breaks or ages out, never past its limit and never with
 * a place a waiting lease needs; a lease takes a warm resource before anything is built.
 */
@ExtendWith({PostgresExtension.class, LeakCheck.class})
class WarmPoolTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private TestDatabase db;
    private ScriptedBlueprint scripted;
    private Drydock drydock;
    private Taskmaster taskmaster;
    /** What a sampler saw exceed a limit or a capacity while a test ran (PlannerInvariants). */
    private final Set<String> overLimit = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean sampling = new AtomicBoolean();
    private Thread sampler;

    @BeforeEach
    void start(TestDatabase db) {
        this.db = db;
        scripted = new ScriptedBlueprint();
        drydock = Drydock.builder(db.dataSource()).register(scripted).build();
        taskmaster = drydock.taskmaster().threads(8).pollInterval(Duration.ofMillis(200)).build().start();
        sampling.set(true);
        sampler = Thread.ofPlatform().daemon().start(() -> {
            while (sampling.get()) {
                overLimit.addAll(PlannerInvariants.limitsAndCapacities(db));
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    @AfterEach
    void stop() throws InterruptedException {
        sampling.set(false);
        sampler.join();
        try {
            EngineCleanUp.destroyEverything(drydock);
        } finally {
            scripted.close();
            taskmaster.close();
            drydock.close();
        }
        assertThat(overLimit).as("moments a blueprint held more resources than its limit").isEmpty();
    }

    @Test
    void aPoolKeepsIdleResourcesNotTotalOnesAndALeaseTakesAWarmOneBeforeAnythingIsBuilt() {
        drydock.blueprints().create("warm", "scripted", "{\"capacity\": 1}", 5);
        drydock.blueprints().setWarmPool("warm", Map.of(), 2, Optional.empty());
        Await.until("two idle, ready resources", WAIT, () -> idle("warm") == 2);
        List<Long> warm = idleIds("warm");
        Await.until("the planner says the pool is met", WAIT, () -> pool("warm").status().equals("warm: 2 of 2 ready idle, building 0"));

        Lease lease = drydock.allocator().acquire(LeaseRequest.builder("scripted").blueprint("warm").build()).await(WAIT);
        assertThat(lease.info().resourceId().orElseThrow()).as("a warm resource, not a new build").isIn(warm);
        Await.until("two idle again beside the leased one: idle, not total", WAIT, () -> idle("warm") == 2 && live("warm") == 3);

        long used = lease.info().resourceId().orElseThrow();
        lease.release();
        // the used one comes back idle (its blueprint keeps it): one the pool built and no lease used is surplus
        Await.until("two idle again, the used one among them", WAIT, () -> idle("warm") == 2 && live("warm") == 2 && idleIds("warm").contains(used));
        assertThat(db.queryLong("""
                SELECT count(*) FROM dd_log l JOIN dd_resource r ON r.id = l.resource_id JOIN dd_blueprint b ON b.id = r.blueprint_id
                 WHERE b.name = 'warm' AND l.message LIKE '%more idle than warm pool % minReady of 2'"""))
                .as("the log says why the surplus went").isOne();
    }

    @Test
    void aLeaseWithNoRoomTakesOverAWarmBuildInFlightAndThePoolBuildsAnother() {
        scripted.script(Step.ACTIVATE, ScriptedOutcome.checkAgainIn(Duration.ofSeconds(2), "booting"));
        drydock.blueprints().create("adopt", "scripted", "{\"capacity\": 1}", 3);
        drydock.blueprints().setWarmPool("adopt", Map.of(), 1, Optional.empty());
        long building = Await.value("a warm build in flight", WAIT, () -> drydock.resources().stream()
                .filter(r -> r.blueprintName().equals("adopt") && r.status() == dev.drydock.api.ResourceStatus.PENDING)
                .map(dev.drydock.api.ResourceInfo::id).findFirst().orElse(null));

        Lease lease = drydock.allocator().acquire(LeaseRequest.builder("scripted").blueprint("adopt").build());
        Await.until("the lease says it took the warm build over", WAIT,
                () -> lease.info().statusReason().equals("waiting for resource " + building + " of blueprint adopt to be built (a warm build it took over)"));
        lease.await(WAIT);
        assertThat(db.queryLong("SELECT count(*) FROM dd_log WHERE message LIKE '%being built for lease " + lease.id() + "'"))
                .as("builds the lease started itself").isZero();
        // the pool's replacement may finish first and serve the lease; either way the pool ends with one idle beside it
        Await.until("the pool has one idle beside the leased one", WAIT, () -> idle("adopt") == 1 && live("adopt") == 2);
    }

    @Test
    void aWarmResourceThatBreaksIsReplaced() {
        drydock.blueprints().create("mended", "scripted", "{\"capacity\": 1}", 3);
        drydock.blueprints().setWarmPool("mended", Map.of(), 2, Optional.empty());
        Await.until("two idle", WAIT, () -> idle("mended") == 2);
        List<Long> before = idleIds("mended");
        scripted.script(Step.CHECK_HEALTH, ScriptedOutcome.failed("disk gone"));
        scripted.checkHealthEvery(Duration.ofMillis(300));

        Await.until("one broke, and two are idle again", WAIT, () -> db.queryLong(
                "SELECT count(*) FROM dd_resource WHERE status IN ('BROKEN', 'DESTROYED') AND status_reason LIKE '%disk gone%'") == 1
                && idle("mended") == 2 && !idleIds("mended").containsAll(before));
    }

    @Test
    void warmBuildsThatFailBackOffAndSaySoThenTheBuildThatWorksEndsTheRun() {
        scripted.script(Step.ALLOCATE, ScriptedOutcome.failed("no capacity in the zone"), ScriptedOutcome.failed("no capacity in the zone"));
        drydock.blueprints().create("flaky", "scripted", "{\"capacity\": 1}", 3);
        drydock.blueprints().setWarmPool("flaky", Map.of(), 1, Optional.empty());

        Await.until("the pool says its builds fail", WAIT, () -> pool("flaky").status().contains("warm builds failing"));
        Await.until("built once the zone has room", WAIT, () -> idle("flaky") == 1);
        Await.until("the run of failures ended", WAIT, () -> pool("flaky").status().equals("flaky: 1 of 1 ready idle, building 0"));
        assertThat(db.queryLong("SELECT failures FROM dd_warm_pool p JOIN dd_blueprint b ON b.id = p.blueprint_id WHERE b.name = 'flaky'"))
                .isZero();
    }

    @Test
    void atItsLimitThePoolWaitsAndSaysSoAndAWaitingLeaseIsServedFirst() {
        drydock.blueprints().create("tight", "scripted", "{\"capacity\": 1}", 2);
        Lease a = drydock.allocator().acquire(LeaseRequest.builder("scripted").blueprint("tight").build()).await(WAIT);
        Lease b = drydock.allocator().acquire(LeaseRequest.builder("scripted").blueprint("tight").build()).await(WAIT);
        Lease waiting = drydock.allocator().acquire(LeaseRequest.builder("scripted").blueprint("tight").build());
        Await.until("the third lease waits for room", WAIT, () -> waiting.info().statusReason().contains("waiting for room"));
        drydock.blueprints().setWarmPool("tight", Map.of(), 2, Optional.empty());

        Await.until("the pool says the limit stops it and a lease waits first", WAIT,
                () -> pool("tight").status().equals("tight: 0 of 2 ready idle, building 0; limit 2 of 2, 1 lease waits for room first — waiting"));
        a.release();
        waiting.await(WAIT);
        assertThat(waiting.info().resourceId()).as("the waiting lease got the freed resource").isEqualTo(a.info().resourceId());
        b.release();
        Await.until("the pool has what the limit leaves: the freed resource", WAIT, () -> idle("tight") == 1);
        waiting.release();
        Await.until("and then both", WAIT, () -> idle("tight") == 2);
    }

    @Test
    void agedResourcesAreRecycledAndThePoolRefillsWithinItsLimit() {
        drydock.blueprints().create("aging", "scripted", "{\"capacity\": 1}", 2);
        drydock.blueprints().setWarmPool("aging", Map.of(), 2, Optional.of(Duration.ofSeconds(2)));
        Await.until("two idle", WAIT, () -> idle("aging") == 2);
        List<Long> first = idleIds("aging");
        Await.until("both recycled: two idle resources built after them", WAIT,
                () -> idle("aging") == 2 && idleIds("aging").stream().noneMatch(first::contains));
        assertThat(db.queryLong("""
                SELECT count(*) FROM dd_log WHERE message LIKE '%idle and ready longer than warm pool % maxReadyAge of 2s%'"""))
                .as("the log says why they went").isGreaterThanOrEqualTo(2);
    }

    @Test
    void loweringMinReadyRetiresWarmResourcesNoLeaseUsed() {
        drydock.blueprints().create("shrink", "scripted", "{\"capacity\": 1}", 4);
        drydock.blueprints().setWarmPool("shrink", Map.of(), 3, Optional.empty());
        Await.until("three idle", WAIT, () -> idle("shrink") == 3);
        WarmPoolInfo set = drydock.blueprints().setWarmPool("shrink", Map.of(), 1, Optional.empty());
        assertThat(set.minReady()).isEqualTo(1);
        Await.until("one idle", WAIT, () -> idle("shrink") == 1 && live("shrink") == 1);
    }

    @Test
    void badSettingsAreRefusedNamingTheFieldAndChangeNothing() {
        drydock.blueprints().create("strict", "scripted", "{\"capacity\": 1}", 4);
        assertThatThrownBy(() -> drydock.blueprints().setWarmPool("strict", Map.of(), -1, Optional.empty()))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("minReady");
        assertThatThrownBy(() -> drydock.blueprints().setWarmPool("strict", Map.of(), 1, Optional.of(Duration.ofMillis(10))))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("maxReadyAge");
        assertThatThrownBy(() -> drydock.blueprints().setWarmPool("nosuch", Map.of(), 1, Optional.empty()))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("no blueprint named 'nosuch'");
        assertThat(drydock.blueprints().warmPools("strict")).isEmpty();
    }

    private WarmPoolInfo pool(String blueprint) {
        return drydock.blueprints().warmPools(blueprint).getFirst();
    }

    private long idle(String blueprint) {
        return idleIds(blueprint).size();
    }

    private List<Long> idleIds(String blueprint) {
        return drydock.resources().stream()
                .filter(r -> r.blueprintName().equals(blueprint) && r.status() == dev.drydock.api.ResourceStatus.ACTIVE && r.activeLeases() == 0)
                .map(dev.drydock.api.ResourceInfo::id).sorted().toList();
    }

    private long live(String blueprint) {
        return drydock.resources().stream().filter(r -> r.blueprintName().equals(blueprint)
                && (r.status() == dev.drydock.api.ResourceStatus.PENDING || r.status() == dev.drydock.api.ResourceStatus.ACTIVE)).count();
    }
}
