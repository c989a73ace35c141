package dev.drydock.core.internal.engine;

import dev.drydock.api.ResourceStatus;
import dev.drydock.api.spi.BlueprintImplementation;
import dev.drydock.api.spi.Decision;
import dev.drydock.api.spi.LeaseView;
import dev.drydock.core.internal.blueprint.BlueprintRegistry;
import dev.drydock.core.internal.store.BlueprintRow;
import dev.drydock.core.internal.store.BlueprintStore;
import dev.drydock.core.internal.store.NoFreeSlotException;
import dev.drydock.core.internal.store.ResourceRow;
import dev.drydock.core.internal.store.ResourceStore;
import dev.drydock.core.internal.store.WarmPoolStore;
import dev.drydock.core.internal.store.WarmPoolStore.IdleResource;
import dev.drydock.core.internal.store.WarmPoolStore.WarmPoolRow;
import dev.drydock.taskqueue.Task;
import dev.drydock.taskqueue.TaskHandler;
import dev.drydock.taskqueue.TaskOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;

/**
 * A blueprint's planner (docs/planner.md): evaluates its warm pools' expectations against what
 * the blueprint has, and carries out the steps that meet them through the usual state machines —
 * builds (reserved as lowest priority, {@link BlueprintStore#reserveWarm}) and retirements of idle
 * resources. It runs when something changed (queued by the transition that changed it, migration
 * V17), never on a fixed timer: it yields only until a moment it computed itself, such as the
 * next resource to age out or the end of a build backoff.
 */
public final class Planner implements TaskHandler {
    /** How soon to look again when a pool declined for a reason no event ends (quota, waiting leases). */
    private static final Duration DECLINED_RECHECK = Duration.ofSeconds(5);
    /** A build's cost before the blueprint has built anything to measure. */
    private static final Duration UNKNOWN_BUILD_TIME = Duration.ofSeconds(1);
    private final Engine engine;

    public Planner(Engine engine) {
        this.engine = engine;
    }

    @Override
    public TaskOutcome handle(Task task) {
        return evaluate(Tasks.id(task.payload()));
    }

    /** One evaluation of blueprint {@code blueprintId}'s pools. */
    TaskOutcome evaluate(long blueprintId) {
        record Read(Optional<BlueprintRow> blueprint, List<WarmPoolRow> pools, List<IdleResource> idle, Map<Long, Integer> building,
                    Duration buildTime) {}
        // one snapshot: read apart, a build finishing between the reads is neither idle nor in flight, and is built again
        Read read = engine.jdbi().inTransaction(TransactionIsolationLevel.REPEATABLE_READ, h -> {
            Optional<BlueprintRow> b = BlueprintStore.liveById(h, blueprintId);
            return b.isEmpty() ? new Read(b, List.of(), List.of(), Map.of(), Duration.ZERO)
                    : new Read(b, WarmPoolStore.ofBlueprint(h, blueprintId), WarmPoolStore.idle(h, blueprintId), WarmPoolStore.building(h, blueprintId),
                            WarmPoolStore.recentBuildTime(h, blueprintId).orElse(UNKNOWN_BUILD_TIME));
        });
        if (read.blueprint().isEmpty() || read.pools().isEmpty()) {
            return TaskOutcome.success();
        }
        BlueprintRow blueprint = read.blueprint().get();
        BlueprintRegistry.Configured configured;
        try {
            Optional<BlueprintRegistry.Configured> known = engine.configuredIfKnown(blueprint);
            if (known.isEmpty()) {
                return TaskOutcome.success(); // routed by type: a taskmaster without it never claims this
            }
            configured = known.get();
        } catch (RuntimeException e) {
            String why = "declined: blueprint " + blueprint.name() + "'s stored configuration is refused: " + StepFailure.describe(e)
                    + "; fix it with drydock-control blueprint update";
            engine.jdbi().useHandle(h -> read.pools().forEach(p -> WarmPoolStore.setReason(h, p.id(), verdict(blueprint, p, 0, 0, why))));
            return TaskOutcome.success(); // the update that fixes it wakes the planner
        }
        Map<Long, List<IdleResource>> idleOf = assign(blueprint, configured, read.pools(), read.idle());
        Optional<Instant> wakeAt = Optional.empty();
        for (WarmPoolRow pool : cheapestFirst(read.pools(), idleOf, read.building(), read.buildTime())) {
            PoolOutcome outcome = evaluate(blueprint, configured, pool, idleOf.getOrDefault(pool.id(), List.of()),
                    read.building().getOrDefault(pool.id(), 0));
            engine.jdbi().useHandle(h -> WarmPoolStore.setReason(h, pool.id(), outcome.reason()));
            wakeAt = earliest(wakeAt, outcome.wakeAt());
        }
        if (wakeAt.isEmpty()) {
            return TaskOutcome.success();
        }
        Instant now = read.pools().getFirst().now();
        Duration wait = Duration.between(now, wakeAt.get());
        return TaskOutcome.yieldFor(wait.isNegative() ? Duration.ZERO : wait);
    }

    /** What one pool's evaluation did and said, and when it wants to look again. */
    private record PoolOutcome(String reason, Optional<Instant> wakeAt) {}

    private PoolOutcome evaluate(BlueprintRow blueprint, BlueprintRegistry.Configured configured, WarmPoolRow pool, List<IdleResource> idle,
                                 int inFlight) {
        Instant now = pool.now();
        List<IdleResource> aged = pool.maxReadyAge().map(max -> idle.stream().filter(r -> !r.readyAt().plus(max).isAfter(now)).toList())
                .orElse(List.of());
        List<IdleResource> ready = idle.stream().filter(r -> !aged.contains(r)).toList();
        Optional<Instant> wakeAt = pool.maxReadyAge().flatMap(max -> ready.stream().map(r -> r.readyAt().plus(max)).min(Comparator.naturalOrder()));
        int deficit = Math.max(0, pool.minReady() - ready.size() - inFlight);
        String note = "";
        int built = 0;
        if (deficit > 0) {
            Build build = build(blueprint, configured, pool, deficit);
            built = build.started();
            note = build.note();
            wakeAt = earliest(wakeAt, build.wakeAt());
        }
        int building = inFlight + built;
        // Replace before retiring while replacements are coming; retire first when none can be built, so age never needs extra room.
        int keepAged = building > 0 ? Math.min(aged.size(), Math.max(0, pool.minReady() - ready.size())) : 0;
        List<IdleResource> retire = new ArrayList<>(aged.stream().sorted(Comparator.comparing(IdleResource::readyAt))
                .limit(aged.size() - keepAged).toList());
        int excess = ready.size() - pool.minReady();
        if (excess > 0) {
            // Only resources built for this pool and never used: one kept after use is its blueprint's to judge (shouldKeep).
            ready.stream().filter(r -> r.fresh() && r.warmPoolId().equals(Optional.of(pool.id())))
                    .sorted(Comparator.comparing(IdleResource::readyAt)).limit(excess).forEach(retire::add);
        }
        int retired = 0;
        int readyNow = ready.size();
        for (IdleResource r : retire) {
            boolean isAged = aged.contains(r);
            String why = isAged
                    ? "idle and ready longer than warm pool " + pool.id() + "'s maxReadyAge of "
                      + dev.drydock.core.DurationText.format(pool.maxReadyAge().orElseThrow())
                    : "more idle than warm pool " + pool.id() + "'s minReady of " + pool.minReady();
            if (retire(r.id(), why)) {
                retired++;
                readyNow -= isAged ? 0 : 1;
            }
        }
        if (retired > 0) {
            note = join(note, "retiring " + retired);
        }
        return new PoolOutcome(verdict(blueprint, pool, readyNow, building, note), wakeAt);
    }

    /** The builds a pool's deficit called for: how many started, what stopped the rest, and when to try again. */
    private record Build(int started, String note, Optional<Instant> wakeAt) {}

    private Build build(BlueprintRow blueprint, BlueprintRegistry.Configured configured, WarmPoolRow pool, int deficit) {
        if (!pool.mayBuild()) {
            return new Build(0, "warm builds failing (" + pool.failures() + " in a row), next try in "
                    + StepFailure.seconds(Duration.between(pool.now(), pool.nextBuildAt().orElseThrow())) + " s", pool.nextBuildAt());
        }
        if (!blueprint.enabled()) {
            return new Build(0, "declined: blueprint " + blueprint.name() + " is disabled", Optional.empty());
        }
        BlueprintImplementation<Record> impl = Engine.impl(configured);
        LeaseView view = view(blueprint, pool);
        Decision now;
        try {
            now = impl.canAllocate(configured.config(), view);
        } catch (RuntimeException e) {
            now = Decision.no(StepFailure.describe(e));
        }
        if (now instanceof Decision.No no) {
            return new Build(0, "declined: " + no.reason(), Optional.of(pool.now().plus(DECLINED_RECHECK)));
        }
        int capacity = impl.capacity(configured.config());
        List<String> slots = impl.slots(configured.config());
        int started = 0;
        while (started < deficit) {
            Optional<Long> id;
            try {
                id = engine.jdbi().inTransaction(h -> {
                    if (!BlueprintStore.reserveWarm(h, blueprint.id())) {
                        return Optional.<Long>empty();
                    }
                    long resourceId = ResourceStore.insertBuild(h, blueprint, capacity, Map.of(),
                            "built for warm pool " + pool.id() + " of blueprint " + blueprint.name(), slots);
                    WarmPoolStore.markWarm(h, resourceId, pool.id());
                    engine.tasks().updateResource(h, resourceId);
                    return Optional.of(resourceId);
                });
            } catch (NoFreeSlotException e) {
                return new Build(started, "every one of its " + slots.size() + " slots (hosts) is in use", Optional.empty());
            }
            if (id.isEmpty()) {
                return new Build(started, noRoom(blueprint), Optional.empty());
            }
            started++;
        }
        return new Build(started, "", Optional.empty());
    }

    /** Why a warm build found no place: the limit, or leases waiting that the room is kept for. */
    private String noRoom(BlueprintRow blueprint) {
        return engine.jdbi().withHandle(h -> {
            BlueprintRow now = BlueprintStore.byId(h, blueprint.id()).orElse(blueprint);
            if (!now.enabled()) {
                return "declined: blueprint " + blueprint.name() + " is disabled";
            }
            int waiting = BlueprintStore.waitingLeases(h, blueprint.id(), Math.max(1, now.resourceLimit()));
            String limit = "limit " + now.resourceCount() + " of " + now.resourceLimit();
            return waiting == 0 ? limit + " — waiting"
                    : limit + ", " + waiting + (waiting == 1 ? " lease waits" : " leases wait") + " for room first — waiting";
        });
    }

    /** Releases an idle resource (its destroy follows), unless a lease took it or one is being built on it since it was read. */
    private boolean retire(long resourceId, String why) {
        return engine.jdbi().inTransaction(h -> {
            Optional<ResourceRow> locked = ResourceStore.lockIdle(h, resourceId);
            if (locked.isEmpty() || !dev.drydock.core.internal.store.LeaseStore.buildingOn(h, resourceId).isEmpty()) {
                return false;
            }
            if (!ResourceStore.transition(h, locked.get(), ResourceStatus.ACTIVE, ResourceStatus.RELEASED, why)) {
                return false;
            }
            engine.tasks().updateResource(h, resourceId);
            return true;
        });
    }

    /**
     * Which pool counts each idle resource, so two pools never both count one: the most specific
     * pools are filled first, each up to its {@code minReady} with resources that meet its
     * attributes (those built for it first); what is left counts for the pool it was built for if
     * it still meets it, else for the most specific pool it meets, as that pool's surplus. A pool
     * without attributes takes any resource of the blueprint.
     */
    private Map<Long, List<IdleResource>> assign(BlueprintRow blueprint, BlueprintRegistry.Configured configured, List<WarmPoolRow> pools,
                                                 List<IdleResource> idle) {
        boolean anyAttributes = pools.stream().anyMatch(p -> !p.attributes().isEmpty());
        Map<Long, Optional<ResourceRow>> rows = new HashMap<>();
        if (anyAttributes) {
            engine.jdbi().useHandle(h -> idle.forEach(r -> rows.put(r.id(), ResourceStore.find(h, r.id()))));
        }
        java.util.function.BiPredicate<IdleResource, WarmPoolRow> meets = (r, pool) -> pool.attributes().isEmpty()
                || rows.getOrDefault(r.id(), Optional.empty()).map(row -> serves(blueprint, configured, row, pool)).orElse(false);
        Map<Long, List<IdleResource>> idleOf = new HashMap<>();
        java.util.Set<Long> counted = new java.util.HashSet<>();
        for (WarmPoolRow pool : pools) {
            List<IdleResource> own = idle.stream().filter(r -> !counted.contains(r.id()) && meets.test(r, pool))
                    .sorted(Comparator.comparing((IdleResource r) -> !r.warmPoolId().equals(Optional.of(pool.id()))))
                    .limit(pool.minReady()).toList();
            own.forEach(r -> counted.add(r.id()));
            idleOf.computeIfAbsent(pool.id(), id -> new ArrayList<>()).addAll(own);
        }
        for (IdleResource r : idle) {
            if (counted.contains(r.id())) {
                continue;
            }
            Optional<WarmPoolRow> home = pools.stream().filter(p -> r.warmPoolId().equals(Optional.of(p.id())) && meets.test(r, p)).findFirst()
                    .or(() -> pools.stream().filter(p -> meets.test(r, p)).findFirst());
            home.ifPresent(p -> idleOf.computeIfAbsent(p.id(), id -> new ArrayList<>()).add(r));
        }
        return idleOf;
    }

    private boolean serves(BlueprintRow blueprint, BlueprintRegistry.Configured configured, ResourceRow resource, WarmPoolRow pool) {
        try {
            BlueprintImplementation<Record> impl = Engine.impl(configured);
            LeaseView view = view(blueprint, pool);
            return impl.meetsAttributes(configured.config(), view.attributes()).allowed()
                    && impl.canAcquire(configured.config(), engine.view(resource, blueprint), view).allowed();
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * The pools in the order their build steps are taken when the limit leaves room for only some:
     * the cheapest build first — the blueprint's recent median build time, times one more than the
     * pool's warm builds that failed in a row — then the largest share of minReady missing, then id.
     * Retirements cost nothing and are always taken.
     */
    static List<WarmPoolRow> cheapestFirst(List<WarmPoolRow> pools, Map<Long, List<IdleResource>> idleOf, Map<Long, Integer> building,
                                           Duration buildTime) {
        return pools.stream().sorted(Comparator.comparing((WarmPoolRow p) -> buildTime.multipliedBy(1L + p.failures())).thenComparingDouble((WarmPoolRow p) -> {
            if (p.minReady() == 0) {
                return 0.0;
            }
            int have = idleOf.getOrDefault(p.id(), List.of()).size() + building.getOrDefault(p.id(), 0);
            return -Math.max(0, p.minReady() - have) / (double) p.minReady();
        }).thenComparingLong(WarmPoolRow::id)).toList();
    }

    /** A pool's expectation as the lease a warm build is built for: the blueprint sees the attributes it must meet. */
    static LeaseView view(BlueprintRow blueprint, WarmPoolRow pool) {
        return new LeaseView(0, blueprint.resourceType(), pool.attributes(), Map.of());
    }

    /** The line status, why and the console show: "ec2-ci [os=debian-12]: 1 of 2 ready idle, building 1; limit 10 of 10 — waiting". */
    static String verdict(BlueprintRow blueprint, WarmPoolRow pool, int readyIdle, int building, String note) {
        String attrs = pool.attributes().isEmpty() ? "" : pool.attributes().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", ", " [", "]"));
        String line = blueprint.name() + attrs + ": " + readyIdle + " of " + pool.minReady() + " ready idle, building " + building;
        return note.isEmpty() ? line : line + "; " + note;
    }

    private static String join(String a, String b) {
        return a.isEmpty() ? b : a + "; " + b;
    }

    private static Optional<Instant> earliest(Optional<Instant> a, Optional<Instant> b) {
        if (a.isEmpty()) {
            return b;
        }
        return b.isEmpty() || a.get().isBefore(b.get()) ? a : b;
    }
}
