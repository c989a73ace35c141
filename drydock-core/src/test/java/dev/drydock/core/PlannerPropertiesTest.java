package dev.drydock.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.api.Lease;
import dev.drydock.api.LeaseRequest;
import dev.drydock.api.LeaseStatus;
import dev.drydock.taskqueue.Taskmaster;
import dev.drydock.testing.Await;
import dev.drydock.testing.PostgresServer;
import dev.drydock.testing.ScriptedBlueprint;
import dev.drydock.testing.ScriptedBlueprint.Step;
import dev.drydock.testing.ScriptedOutcome;
import dev.drydock.testing.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Random sequences of leases, gangs, releases, breaks, failing builds and changed pools against
 * blueprints with limits (docs/planner.md): at no moment is a limit or a capacity exceeded or a gang
 * partly active (sampled in SQL while the sequence runs); once the engine is quiet, every lease and
 * gang is active or ended with a reason (nothing is stuck: no deadlock, no gang starved past its
 * deadline), no gang was admitted on a blueprint while an older gang waited there holding it (FIFO,
 * read between two samples), and each pool has what it asked for as far as its limit
 * allows — its idle, ready resources are at least {@code min(minReady, limit − resources in use)}
 * and those it built that no lease used are at most {@code minReady}.
 */
class PlannerPropertiesTest {
    private static final Duration DEADLINE = Duration.ofSeconds(3);
    private static TestDatabase db;
    private static ScriptedBlueprint scripted;
    private static Drydock drydock;
    private static Taskmaster taskmaster;
    private static final AtomicInteger WORLDS = new AtomicInteger();

    @BeforeContainer
    static void open() {
        db = PostgresServer.shared().createDatabase("PlannerPropertiesTest");
        scripted = new ScriptedBlueprint().checkHealthEvery(Duration.ofMillis(200));
        drydock = Drydock.builder(db.dataSource()).register(scripted).stepRetryCap(Duration.ofMillis(400)).build();
        taskmaster = drydock.taskmaster().threads(8).pollInterval(Duration.ofMillis(100)).build().start();
    }

    @AfterContainer
    static void close() {
        scripted.close();
        taskmaster.close();
        drydock.close();
        db.close();
    }

    /** A blueprint of the world: its limit, leases per resource, and the idle resources its pool keeps. */
    record Bp(int limit, int capacity, int minReady) {}

    /** One step of a sequence; indices pick among what is live when it runs, so every sequence is valid and shrinks well. */
    sealed interface Action {
        record Acquire(int blueprint) implements Action {}

        /** A gang of members on the world's blueprints, chosen by index. */
        record AcquireGang(List<Integer> members) implements Action {}

        record Release(int lease) implements Action {}

        record BreakOne() implements Action {}

        record FailNextBuild() implements Action {}

        record SetMinReady(int blueprint, int minReady) implements Action {}

        record Pause(int millis) implements Action {}
    }

    @Provide
    Arbitrary<List<Bp>> worlds() {
        Arbitrary<Bp> bp = Combinators.combine(Arbitraries.integers().between(1, 5), Arbitraries.integers().between(1, 2),
                Arbitraries.integers().between(0, 3)).as(Bp::new);
        return bp.list().ofMinSize(1).ofMaxSize(2);
    }

    @Provide
    Arbitrary<List<Action>> actions() {
        Arbitrary<Integer> index = Arbitraries.integers().between(0, 9);
        Arbitrary<Action> action = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(30, index.map(Action.Acquire::new)),
                net.jqwik.api.Tuple.of(15, index.list().ofMinSize(2).ofMaxSize(4).map(Action.AcquireGang::new)),
                net.jqwik.api.Tuple.of(25, index.map(Action.Release::new)),
                net.jqwik.api.Tuple.of(8, Arbitraries.just(new Action.BreakOne())),
                net.jqwik.api.Tuple.of(8, Arbitraries.just(new Action.FailNextBuild())),
                net.jqwik.api.Tuple.of(8, Combinators.combine(index, Arbitraries.integers().between(0, 3)).as(Action.SetMinReady::new)),
                net.jqwik.api.Tuple.of(15, Arbitraries.integers().between(20, 300).map(Action.Pause::new)));
        return action.list().ofMinSize(3).ofMaxSize(14);
    }

    @Property(tries = 15, shrinking = ShrinkingMode.BOUNDED, seed = "4242")
    void limitsHoldNothingIsStuckAndPoolsConverge(@ForAll("worlds") List<Bp> world, @ForAll("actions") List<Action> actions) {
        net.jqwik.api.statistics.Statistics.label("sequences").collect(
                actions.stream().anyMatch(a -> a instanceof Action.AcquireGang) ? "with a gang" : "without a gang");
        int n = WORLDS.incrementAndGet();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < world.size(); i++) {
            String name = "w" + n + "-" + i;
            drydock.blueprints().create(name, "scripted", "{\"capacity\": " + world.get(i).capacity() + "}", world.get(i).limit());
            if (world.get(i).minReady() > 0) {
                drydock.blueprints().setWarmPool(name, Map.of(), world.get(i).minReady(), Optional.empty());
            }
            names.add(name);
        }
        Set<String> violations = ConcurrentHashMap.newKeySet();
        AtomicBoolean sampling = new AtomicBoolean(true);
        Thread sampler = Thread.ofPlatform().daemon().start(() -> {
            PlannerInvariants.FifoReading fifo = PlannerInvariants.FifoReading.none();
            while (sampling.get()) {
                violations.addAll(PlannerInvariants.limitsAndCapacities(db));
                fifo = PlannerInvariants.fifo(db, fifo);
                violations.addAll(fifo.overtaken());
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        List<Lease> leases = new ArrayList<>();
        try {
            for (Action action : actions) {
                run(action, names, leases);
            }
            quiesce();
            sampling.set(false);
            sampler.join();
            violations.addAll(PlannerInvariants.limitsAndCapacities(db));
            assertThat(violations).as("limits, capacities, gangs partly active and FIFO while %s ran", actions).isEmpty();
            assertThat(PlannerInvariants.stuckLeases(db)).as("leases neither active nor ended after %s", actions).isEmpty();
            for (String name : names) {
                // converges: a pool short when the engine first goes quiet must fill within a bound (the planner
                // looks again at the latest DECLINED_RECHECK after a verdict no event ends), never stay short
                List<String> shortfall = new ArrayList<>(PlannerInvariants.poolShortfall(db, name));
                long until = System.nanoTime() + CONVERGE.toNanos();
                while (!shortfall.isEmpty() && System.nanoTime() < until) {
                    Thread.sleep(100);
                    shortfall = new ArrayList<>(PlannerInvariants.poolShortfall(db, name));
                }
                assertThat(shortfall).as("pool of %s after %s", name, actions).isEmpty();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } finally {
            sampling.set(false);
            tearDown(names);
        }
    }

    private static void run(Action action, List<String> names, List<Lease> leases) throws InterruptedException {
        switch (action) {
            case Action.Acquire a -> leases.add(drydock.allocator().acquire(LeaseRequest.builder("scripted")
                    .blueprint(names.get(a.blueprint() % names.size())).acquireDeadline(DEADLINE).build()));
            case Action.AcquireGang g -> leases.addAll(drydock.allocator().acquireAll(g.members().stream()
                    .map(i -> LeaseRequest.builder("scripted").blueprint(names.get(i % names.size())).acquireDeadline(DEADLINE).build())
                    .toList()).leases());
            case Action.Release r -> {
                if (!leases.isEmpty()) {
                    leases.get(r.lease() % leases.size()).release();
                }
            }
            case Action.BreakOne b -> scripted.script(Step.CHECK_HEALTH, ScriptedOutcome.failed("broken by the property test"));
            case Action.FailNextBuild f -> scripted.script(Step.ALLOCATE, ScriptedOutcome.failed("failed by the property test"));
            case Action.SetMinReady s -> drydock.blueprints().setWarmPool(names.get(s.blueprint() % names.size()), Map.of(), s.minReady(),
                    Optional.empty());
            case Action.Pause p -> Thread.sleep(p.millis());
        }
    }

    /** Waits until no lease waits and the engine has nothing to do now, seen three times in a row. */
    /** How long a pool may take to fill once the engine is quiet: beyond the planner's 5-s recheck and a build. */
    private static final Duration CONVERGE = Duration.ofSeconds(15);

    private static void quiesce() {
        AtomicInteger quiet = new AtomicInteger();
        Await.until("the engine quiet", DEADLINE.plusSeconds(30), () -> {
            boolean now = PlannerInvariants.quiet(db);
            if (!now) {
                quiet.set(0);
                return false;
            }
            if (quiet.incrementAndGet() < 3) {
                try {
                    Thread.sleep(300);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return false;
            }
            return true;
        });
    }

    private static void tearDown(List<String> names) {
        for (String name : names) {
            drydock.blueprints().setWarmPool(name, Map.of(), 0, Optional.empty());
        }
        EngineCleanUp.destroyEverything(drydock);
        Await.until("every gang over", Duration.ofSeconds(30),
                () -> db.queryLong("SELECT count(*) FROM dd_gang WHERE status NOT IN ('ENDED', 'BROKEN')") == 0);
        for (String name : names) {
            drydock.blueprints().delete(name);
        }
        assertThat(drydock.leases(Optional.empty(), 10_000).stream().allMatch(l -> l.status() == LeaseStatus.DESTROYED)).isTrue();
    }
}
