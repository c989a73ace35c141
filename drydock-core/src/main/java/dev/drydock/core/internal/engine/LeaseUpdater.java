package dev.drydock.core.internal.engine;

import dev.drydock.core.internal.store.GrowthAnalyzer;
import dev.drydock.core.internal.store.LeaseRow;
import dev.drydock.core.internal.store.LeaseStore;
import dev.drydock.core.internal.store.ResourceStore;
import dev.drydock.taskqueue.BatchTaskHandler;
import dev.drydock.taskqueue.Task;
import dev.drydock.taskqueue.TaskOutcome;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
    private final GrowthAnalyzer growth;

    public LeaseUpdater(Engine engine) {
        this.engine = engine;
        this.growth = new GrowthAnalyzer(engine.jdbi());
        this.activation = new Activation(engine);
        this.allocation = new Allocation(engine, activation);
        this.cleanUp = new CleanUp(engine);
    }

    @Override
    public List<TaskOutcome> handle(List<Task> tasks) {
        List<Long> ids = tasks.stream().map(t -> Tasks.id(t.payload())).toList();
        growth.seen(ids.stream().mapToLong(Long::longValue).max().orElse(0));
        LeaseStore.Lookup lookup = engine.jdbi().withHandle(h -> LeaseStore.lookUp(h, ids));
        Map<Long, LeaseStore.Situation> situations = lookup.situations();
        Map<Long, TaskOutcome> outcomes = new HashMap<>();
        List<LeaseRow> pending = new ArrayList<>();
        List<LeaseStore.Situation> ended = new ArrayList<>();
        for (long id : ids) {
            LeaseStore.Situation situation = situations.get(id);
            if (situation == null) {
                outcomes.put(id, TaskOutcome.success());
                continue;
            }
            LeaseRow lease = situation.lease();
            switch (lease.status()) {
                case PENDING -> pending.add(lease);
                case ACQUIRED -> outcomes.put(id, PerLease.run(lease, l -> {
                    ResourceStore.Placed placed = situation.placed().orElseThrow();
                    return activation.activate(l, placed.resource(), placed.blueprint());
                }));
                case RELEASED, BROKEN -> ended.add(situation);
                case ACTIVE, DESTROYED -> outcomes.put(id, TaskOutcome.success());
            }
        }
        // Allocation first: its holders are waiting for it; nobody waits for a clean-up, and the
        // room it gives back is seen by the next batch (whose leases it wakes if they wait).
        if (!pending.isEmpty()) {
            allocation.allocate(pending, lookup.offers(), DatabaseClock.readAt(lookup.databaseNow())).forEach(outcomes::put);
        }
        if (!ended.isEmpty()) {
            cleanUp.cleanUp(ended).forEach(outcomes::put);
        }
        return ids.stream().map(outcomes::get).toList();
    }
}
