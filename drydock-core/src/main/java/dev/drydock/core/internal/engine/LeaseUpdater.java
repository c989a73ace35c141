package dev.drydock.core.internal.engine;

import dev.drydock.api.LeaseStatus;
import dev.drydock.api.ResourceStatus;
import dev.drydock.core.internal.store.EventLog;
import dev.drydock.core.internal.store.GrowthAnalyzer;
import dev.drydock.core.internal.store.LeaseRow;
import dev.drydock.core.internal.store.LeaseStore;
import dev.drydock.core.internal.store.ResourceStore;
import dev.drydock.core.internal.store.SubLeaseStore;
import dev.drydock.taskqueue.BatchTaskHandler;
import dev.drydock.taskqueue.Task;
import dev.drydock.taskqueue.TaskOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Drives leases through their states (DESIGN §4), a batch of lease updates at a time (see {@link
 * BatchTaskHandler}): one lookup for the batch, then the common steps — taking room on a resource
 * that has it, activating, cleaning up — each as one statement for every lease of the batch at that
 * step; whatever is not common (building a resource, waiting, breaking) runs lease by lease. A lease's
 * updates run one at a time anywhere (the queue's serialization key); every state change is one
 * statement or transaction with its capacity change, follow-up task and log row, guarded by the
 * status it expects.
 */
public final class LeaseUpdater implements BatchTaskHandler {
    private final Engine engine;
    private final Activation activation;
    private final Allocation allocation;
    private final CleanUp cleanUp;
    private final java.util.function.LongConsumer growth;

    /** @param analyzeGrowth whether to analyze the lease table while it is young (see {@link GrowthAnalyzer}) */
    public LeaseUpdater(Engine engine, boolean analyzeGrowth) {
        this.engine = engine;
        this.growth = analyzeGrowth ? new GrowthAnalyzer(engine.jdbi())::seen : highestId -> { };
        this.activation = new Activation(engine);
        this.allocation = new Allocation(engine, activation);
        this.cleanUp = new CleanUp(engine);
    }

    @Override
    public List<TaskOutcome> handle(List<Task> tasks) {
        List<Long> ids = tasks.stream().map(t -> Tasks.id(t.payload())).toList();
        // a batch is of one kind: the leases of a type's own kind were handed to this taskmaster for that type
        boolean handedOver = !tasks.isEmpty() && Tasks.typeOf(tasks.getFirst().kind()).isPresent();
        growth.accept(ids.stream().mapToLong(Long::longValue).max().orElse(0));
        LeaseStore.Lookup lookup = engine.jdbi().withHandle(h -> LeaseStore.lookUp(h, ids));
        Map<Long, LeaseStore.Situation> situations = lookup.situations();
        DatabaseClock clock = DatabaseClock.readAt(lookup.databaseNow());
        Map<Long, TaskOutcome> outcomes = new HashMap<>();
        java.util.Set<Long> gangs = new java.util.TreeSet<>();
        List<LeaseRow> pending = new ArrayList<>();
        List<LeaseStore.Situation> ended = new ArrayList<>();
        List<LeaseRow> active = new ArrayList<>();
        for (long id : ids) {
            LeaseStore.Situation situation = situations.get(id);
            if (situation == null) {
                outcomes.put(id, TaskOutcome.success());
                continue;
            }
            LeaseRow lease = situation.lease();
            if (lease.gangId().isPresent() && (lease.status() == LeaseStatus.PENDING || lease.status() == LeaseStatus.ACQUIRED)) {
                gangs.add(lease.gangId().get()); // a member of a gang not yet active moves only with its gang
                outcomes.put(id, TaskOutcome.success());
                continue;
            }
            Optional<String> elsewhere = typeNotHere(situation, clock);
            if (elsewhere.isPresent()) {
                outcomes.put(id, PerLease.run(lease, l -> forward(l, elsewhere.get())));
                continue;
            }
            switch (lease.status()) {
                case PENDING -> pending.add(lease);
                case ACQUIRED -> outcomes.put(id, PerLease.run(lease, l -> {
                    if (clock.isPast(l.acquireDeadline())) {
                        return activation.breakOverdue(l);
                    }
                    ResourceStore.Placed placed = situation.placed().orElseThrow();
                    return activation.activate(l, placed.resource(), placed.blueprint());
                }));
                case RELEASED, BROKEN -> {
                    ended.add(situation);
                    lease.gangId().ifPresent(gangs::add); // its gang learns that a member ended
                }
                case ACTIVE -> active.add(lease);
                case DESTROYED -> outcomes.put(id, TaskOutcome.success());
            }
        }
        if (!active.isEmpty()) {
            breakIfSubLeaseEnded(active).forEach(outcomes::put);
        }
        // Allocation first: its holders are waiting for it; nobody waits for a clean-up, and the
        // room it gives back is seen by the next batch (whose leases it wakes if they wait).
        if (!pending.isEmpty()) {
            allocation.allocate(pending, lookup.offers(), clock, handedOver).forEach(outcomes::put);
        }
        if (!ended.isEmpty()) {
            cleanUp.cleanUp(ended).forEach(outcomes::put);
        }
        if (!gangs.isEmpty()) {
            engine.jdbi().useTransaction(h -> gangs.forEach(g -> engine.tasks().updateGang(h, g)));
        }
        return ids.stream().map(id -> retriedByEngine(situations.get(id), outcomes.get(id))).toList();
    }

    /**
     * Active leases are woken only when a sub-lease their resource took for them alone changed
     * (migration V14): one whose sub-lease ended without its owner letting it go breaks, naming the
     * chain, as a resource whose own sub-lease ended does.
     */
    private Map<Long, TaskOutcome> breakIfSubLeaseEnded(List<LeaseRow> active) {
        return engine.jdbi().inTransaction(h -> {
            Map<Long, SubLeaseStore.Owned> ended = SubLeaseStore.endedFor(h, active.stream().map(LeaseRow::id).toList());
            Map<Long, TaskOutcome> outcomes = new HashMap<>();
            for (LeaseRow lease : active) {
                SubLeaseStore.Owned sub = ended.get(lease.id());
                if (sub != null && LeaseStore.transition(h, lease, LeaseStatus.ACTIVE, LeaseStatus.BROKEN, SubLeases.endedReason(sub))) {
                    engine.tasks().updateLease(h, lease.id());
                }
                outcomes.put(lease.id(), TaskOutcome.success());
            }
            return outcomes;
        });
    }

    /**
     * The blueprint type whose implementation the lease's next step needs and this taskmaster
     * lacks: preparing a lease (unless it is past its deadline), or cleaning one up on an active resource (its blueprint's
     * {@code releaseLease}), on a resource of a type not registered here.
     */
    private Optional<String> typeNotHere(LeaseStore.Situation situation, DatabaseClock clock) {
        LeaseStatus status = situation.lease().status();
        // an overdue one breaks without its blueprint, here: it must not wait for a taskmaster that may never come
        boolean needsBlueprint = (status == LeaseStatus.ACQUIRED && !clock.isPast(situation.lease().acquireDeadline())) || ((status == LeaseStatus.RELEASED || status == LeaseStatus.BROKEN)
                && situation.placed().map(p -> p.resource().status() == ResourceStatus.ACTIVE).orElse(false));
        return needsBlueprint ? situation.placed().map(p -> p.blueprint().type()).filter(t -> engine.registry().find(t).isEmpty())
                : Optional.empty();
    }

    /** Hands the lease's update to the taskmasters of {@code type} (architecture decision 45). */
    private TaskOutcome forward(LeaseRow lease, String type) {
        engine.jdbi().useTransaction(h -> engine.tasks().forwardLease(h, lease.id(), type, Duration.ZERO));
        return TaskOutcome.success();
    }

    /**
     * A lease step that failed is tried again on the engine's backoff, with the error in the
     * lease's status reason, instead of on the queue's: the queue would give it up after its
     * attempts and strand the lease. If even recording fails (the database is away), the queue
     * retries it, which it also never gives up for engine tasks.
     */
    private TaskOutcome retriedByEngine(LeaseStore.Situation situation, TaskOutcome outcome) {
        if (!(outcome instanceof TaskOutcome.Failed failed) || situation == null) {
            return outcome;
        }
        LeaseRow lease = situation.lease();
        int failures = lease.waits() + 1;
        Duration delay = engine.retry().after(failures);
        String reason = StepFailure.reason(lease.statusReason(), failed.error(), failures, delay);
        try {
            return engine.jdbi().inTransaction(h -> {
                if (!LeaseStore.failing(h, lease.id(), reason)) {
                    return TaskOutcome.success(); // it ended meanwhile: nothing to retry
                }
                EventLog.lease(h, lease.id(), lease.resourceId().orElse(null), "lease " + lease.id() + " " + lease.status() + ": "
                        + failed.error() + "; trying again in " + StepFailure.seconds(delay) + " s");
                return TaskOutcome.yieldFor(delay);
            });
        } catch (RuntimeException e) {
            return outcome;
        }
    }
}
