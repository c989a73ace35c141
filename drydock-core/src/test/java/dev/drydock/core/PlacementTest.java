package dev.drydock.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drydock.api.InvalidRequestException;
import dev.drydock.api.Lease;
import dev.drydock.api.LeaseRequest;
import dev.drydock.api.LeaseStatus;
import dev.drydock.api.spi.LeaseView;
import dev.drydock.api.spi.ResourceScorer;
import dev.drydock.taskqueue.Taskmaster;
import dev.drydock.testing.Await;
import dev.drydock.testing.LeakCheck;
import dev.drydock.testing.PostgresExtension;
import dev.drydock.testing.ScriptedBlueprint;
import dev.drydock.testing.ScriptedOutcome;
import dev.drydock.testing.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A blueprint's placement decides which of its resources with room a lease goes to: binpack fills
 * one resource before the next, spread takes the emptiest, a resource on which a lease just failed
 * is taken last, and a scorer the application registered is used by name. The placement reason (the
 * lease's log row, shown by {@code why}) carries the scores that decided it.
 */
@ExtendWith({PostgresExtension.class, LeakCheck.class})
class PlacementTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void binpackFillsOneResourceBeforeTheNext(TestDatabase db) {
        ScriptedBlueprint blueprint = new ScriptedBlueprint("packed", "packed-box");
        try (Drydock drydock = Drydock.builder(db.dataSource()).register(blueprint).build();
             Taskmaster taskmaster = taskmaster(drydock)) {
            drydock.blueprints().create("packed", "packed", "{\"capacity\": 3}", 3);
            List<Long> idle = idleResources(drydock, db, "packed-box", 3, 3);

            List<Lease> leases = oneAtATime(drydock, "packed-box", 6);
            List<Long> on = resourcesOf(leases);
            assertThat(on.subList(0, 3)).as("the first three fill one resource").containsOnly(on.get(0));
            assertThat(on.subList(3, 6)).as("the next three fill a second").containsOnly(on.get(3)).doesNotContain(on.get(0));
            assertThat(leasesOn(db, idle)).as("the third resource stays idle").containsValue(0);
            assertThat(placement(drydock, leases.get(1))).contains("(binpack: r" + on.get(1) + " ");
            leases.forEach(Lease::release);
            EngineCleanUp.destroyEverything(drydock);
        }
    }

    @Test
    void spreadTakesTheEmptiestResource(TestDatabase db) {
        ScriptedBlueprint blueprint = new ScriptedBlueprint("spread", "spread-box");
        try (Drydock drydock = Drydock.builder(db.dataSource()).register(blueprint).build();
             Taskmaster taskmaster = taskmaster(drydock)) {
            drydock.blueprints().create("spread", "spread", "{\"capacity\": 3}", 3, "spread");
            List<Long> idle = idleResources(drydock, db, "spread-box", 3, 3);

            List<Lease> leases = oneAtATime(drydock, "spread-box", 6);
            List<Long> on = resourcesOf(leases);
            assertThat(on.subList(0, 3)).as("one lease on each resource first").doesNotHaveDuplicates();
            assertThat(leasesOn(db, idle)).as("then a second on each").containsOnly(Map.entry(idle.get(0), 2), Map.entry(idle.get(1), 2),
                    Map.entry(idle.get(2), 2));
            assertThat(placement(drydock, leases.get(1))).contains("(spread: r" + on.get(1) + " ");
            leases.forEach(Lease::release);
            EngineCleanUp.destroyEverything(drydock);
        }
    }

    @Test
    void aBatchOfLeasesIsScoredWithTheRoomItHandsOut(TestDatabase db) {
        ScriptedBlueprint blueprint = new ScriptedBlueprint("batched", "batched-box");
        try (Drydock drydock = Drydock.builder(db.dataSource()).register(blueprint).build()) {
            drydock.blueprints().create("batched", "batched", "{\"capacity\": 3}", 3, "spread");
            List<Long> idle;
            try (Taskmaster taskmaster = taskmaster(drydock)) {
                idle = idleResources(drydock, db, "batched-box", 3, 3);
            }
            // requested while no taskmaster runs: the next one's first claim takes them as one batch
            List<Lease> leases = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                leases.add(drydock.allocator().acquire(LeaseRequest.builder("batched-box").build()));
            }
            try (Taskmaster taskmaster = taskmaster(drydock)) {
                List<Long> on = leases.stream().map(l -> l.await(WAIT).info().resourceId().orElseThrow()).toList();
                assertThat(on).as("each lease scored after the room the ones before it took").containsExactlyInAnyOrderElementsOf(idle);
                leases.forEach(Lease::release);
                EngineCleanUp.destroyEverything(drydock);
            }
        }
    }

    @Test
    void aResourceOnWhichALeaseJustFailedIsTakenLastAndTheReasonSaysSo(TestDatabase db) {
        ScriptedBlueprint blueprint = new ScriptedBlueprint("failing", "failing-box");
        try (Drydock drydock = Drydock.builder(db.dataSource()).register(blueprint).build();
             Taskmaster taskmaster = taskmaster(drydock)) {
            drydock.blueprints().create("failing", "failing", "{\"capacity\": 1}", 3);
            idleResources(drydock, db, "failing-box", 3, 1);

            blueprint.script(ScriptedBlueprint.Step.ACQUIRE_LEASE, ScriptedOutcome.failed("its disk is full"));
            Lease failed = drydock.allocator().acquire(LeaseRequest.builder("failing-box").build());
            // DESTROYED, not BROKEN: only its clean-up gives the place back, and the next lease must see it free
            Await.until("the first lease broke and was cleaned up", WAIT, () -> failed.info().status() == LeaseStatus.DESTROYED);
            long failedOn = drydock.logs(Optional.of(failed.id()), Optional.empty(), Optional.empty(), 0, 100).stream()
                    .filter(e -> e.resourceId().isPresent()).findFirst().orElseThrow().resourceId().orElseThrow();

            List<Lease> leases = oneAtATime(drydock, "failing-box", 3);
            try {
                List<Long> on = resourcesOf(leases);
                assertThat(on.subList(0, 2)).as("the healthy resources first").doesNotContain(failedOn);
                assertThat(on.get(2)).as("the one that failed last").isEqualTo(failedOn);
                assertThat(placement(drydock, leases.get(0)))
                        .as("the reason names the chosen resource's score and the failed one's, with its failure")
                        .contains("(binpack: r" + on.get(0) + " 1.00, ")
                        .containsPattern("r" + failedOn + " 0\\.\\d\\d failed \\d+ s ago\\)");
            } finally {
                // this blueprint type is registered only here: what it leaves, no later test's taskmaster can end
                leases.forEach(Lease::release);
                EngineCleanUp.destroyEverything(drydock);
            }
        }
    }

    @Test
    void aScorerRegisteredOnTheBuilderIsUsedByNameAndAProcessWithoutItPlacesByBinpack(TestDatabase db) {
        ScriptedBlueprint blueprint = new ScriptedBlueprint("newest", "newest-box");
        try (Drydock drydock = Drydock.builder(db.dataSource()).register(blueprint).scorer(new NewestFirst()).build()) {
            assertThatThrownBy(() -> drydock.blueprints().create("nowhere", "newest", "{\"capacity\": 3}", 3, "nearest"))
                    .isInstanceOf(InvalidRequestException.class)
                    .hasMessageContaining("placement").hasMessageContaining("'nearest'")
                    .hasMessageContaining("binpack, newest-first, spread");
            assertThat(drydock.blueprints().find("nowhere")).as("nothing stored").isEmpty();
            drydock.blueprints().create("newest", "newest", "{\"capacity\": 3}", 3, "newest-first");
            assertThatThrownBy(() -> drydock.blueprints().update("newest", Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.of("Spread"))).isInstanceOf(InvalidRequestException.class).hasMessageContaining("'Spread'");
            assertThat(drydock.blueprints().find("newest").orElseThrow().placement()).isEqualTo("newest-first");

            List<Long> idle;
            try (Taskmaster taskmaster = taskmaster(drydock)) {
                idle = idleResources(drydock, db, "newest-box", 3, 3);
                Lease lease = drydock.allocator().acquire(LeaseRequest.builder("newest-box").build()).await(WAIT);
                assertThat(lease.info().resourceId()).as("the newest resource, though binpack would take the oldest").contains(idle.get(2));
                assertThat(placement(drydock, lease)).contains("(newest-first: r" + idle.get(2) + " " + idle.get(2) + ".00 newest, r");
                lease.release();
                Await.until("its lease cleaned up", WAIT, () -> lease.info().status() == LeaseStatus.DESTROYED);
            }
            try (Drydock without = Drydock.builder(db.dataSource()).register(blueprint).build();
                 Taskmaster taskmaster = taskmaster(without)) {
                Lease lease = without.allocator().acquire(LeaseRequest.builder("newest-box").build()).await(WAIT);
                assertThat(lease.info().resourceId()).as("placed by binpack where the scorer is unknown").contains(idle.get(0));
                assertThat(placement(without, lease)).contains("(binpack: r" + idle.get(0) + " ");
                lease.release();
                EngineCleanUp.destroyEverything(without);
            }
        }
    }

    /** Scores a resource by its id: the newest wins. */
    private static final class NewestFirst implements ResourceScorer {
        @Override
        public String name() {
            return "newest-first";
        }

        @Override
        public Score score(ScoredResource candidate, LeaseView lease) {
            return new Score(candidate.resource().id(), "newest");
        }
    }

    private static Taskmaster taskmaster(Drydock drydock) {
        return drydock.taskmaster().threads(4).pollInterval(Duration.ofMillis(200)).build().start();
    }

    /**
     * Has the blueprint build {@code count} resources of {@code capacity} leases and leaves them idle
     * (ScriptedBlueprint keeps idle resources): leases taken one at a time fill each before the next
     * is built, then are all released. Returns the resources' ids, oldest first.
     */
    private static List<Long> idleResources(Drydock drydock, TestDatabase db, String resourceType, int count, int capacity) {
        List<Lease> filling = oneAtATime(drydock, resourceType, count * capacity);
        List<Long> built = resourcesOf(filling).stream().distinct().sorted().toList();
        assertThat(built).hasSize(count);
        filling.forEach(Lease::release);
        Await.until("every resource idle", WAIT, () -> leasesOn(db, built).values().stream().allMatch(n -> n == 0));
        return built;
    }

    /** {@code count} leases of {@code resourceType}, each requested once the one before it is active. */
    private static List<Lease> oneAtATime(Drydock drydock, String resourceType, int count) {
        List<Lease> leases = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            leases.add(drydock.allocator().acquire(LeaseRequest.builder(resourceType).build()).await(WAIT));
        }
        return leases;
    }

    /** The resource each lease is on, in the leases' order. */
    private static List<Long> resourcesOf(List<Lease> leases) {
        return leases.stream().map(l -> l.info().resourceId().orElseThrow()).toList();
    }

    /** The leases each resource holds, by resource id. */
    private static Map<Long, Integer> leasesOn(TestDatabase db, List<Long> resources) {
        return Jdbi.create(db.dataSource()).withHandle(h -> h.createQuery("SELECT id, active_leases FROM dd_resource WHERE id = ANY(:ids)")
                .bind("ids", resources.toArray(Long[]::new)).map((rs, ctx) -> Map.entry(rs.getLong(1), rs.getInt(2))).list().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, TreeMap::new)));
    }

    /** The lease's placement reason, as its log (and {@code why}) keeps it. */
    private static String placement(Drydock drydock, Lease lease) {
        String prefix = "lease " + lease.id() + " PENDING -> ACQUIRED: ";
        return drydock.logs(Optional.of(lease.id()), Optional.empty(), Optional.empty(), 0, 100).stream()
                .map(LogEntry::message).filter(m -> m.startsWith(prefix)).findFirst().orElseThrow();
    }
}
