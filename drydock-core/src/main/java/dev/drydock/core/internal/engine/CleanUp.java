package dev.drydock.core.internal.engine;

import dev.drydock.api.LeaseStatus;
import dev.drydock.api.ResourceStatus;
import dev.drydock.core.internal.blueprint.BlueprintRegistry;
import dev.drydock.core.internal.store.BlueprintRow;
import dev.drydock.core.internal.store.LeaseCapacity;
import dev.drydock.core.internal.store.LeaseRow;
import dev.drydock.core.internal.store.LeaseStore;
import dev.drydock.core.internal.store.ResourceRow;
import dev.drydock.core.internal.store.ResourceStore;
import dev.drydock.taskqueue.TaskOutcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Released and broken leases become DESTROYED: their blueprints clean up, their slots go back to
 * their resources (for a batch, in one statement), the leases waiting for room are woken, and
 * resources left idle that their blueprints do not keep are released.
 */
final class CleanUp {
    private final Engine engine;

    CleanUp(Engine engine) {
        this.engine = engine;
    }

    /**
     * After release or breakage: let the blueprints clean up, give the capacity back (every lease of
     * the batch in one statement), wake waiters, and release resources left idle that their
     * blueprints do not keep.
     */
    Map<Long, TaskOutcome> cleanUp(List<LeaseStore.Situation> ended) {
        Map<Long, TaskOutcome> outcomes = new HashMap<>();
        List<LeaseCapacity.Return> returns = new ArrayList<>();
        Map<Long, Map<String, String>> resourceAttributes = new HashMap<>();
        Map<Long, ResourceStore.Placed> resources = new HashMap<>();
        List<LeaseRow> unplaced = new ArrayList<>();
        for (LeaseStore.Situation situation : ended) {
            LeaseRow lease = situation.lease();
            if (situation.placed().isEmpty()) {
                unplaced.add(lease);
                continue;
            }
            ResourceRow resource = situation.placed().get().resource();
            BlueprintRow blueprint = situation.placed().get().blueprint();
            StepContext ctx = engine.context(resource, blueprint, lease);
            try {
                if (resource.status() == ResourceStatus.ACTIVE) {
                    BlueprintRegistry.Configured c = engine.configured(resource, blueprint);
                    // A broken or released resource is being destroyed whole; its host may not even answer.
                    Engine.impl(c).releaseLease(c.config(), ctx.forResource(), ctx);
                }
            } catch (RuntimeException e) {
                outcomes.put(lease.id(), PerLease.retry(lease.id(), e));
                continue;
            }
            returns.add(new LeaseCapacity.Return(lease.id(), lease.status(), ended(lease) + "; cleaned up on resource " + resource.id(),
                    ctx.leaseAttributes, ctx.logLines));
            if (!ctx.resourceAttributes.isEmpty()) {
                resourceAttributes.computeIfAbsent(resource.id(), id -> new TreeMap<>()).putAll(ctx.resourceAttributes);
            }
            resources.put(resource.id(), situation.placed().get());
            outcomes.put(lease.id(), TaskOutcome.success()); // also when another change won: it queued what follows from it
        }
        outcomes.putAll(PerLease.each(unplaced, lease -> {
            engine.jdbi().useHandle(h -> LeaseStore.transition(h, lease, lease.status(), LeaseStatus.DESTROYED, ended(lease)));
            return TaskOutcome.success();
        }));
        if (returns.isEmpty()) {
            return outcomes;
        }
        List<String> types = resources.values().stream().map(p -> p.resource().resourceType()).distinct().toList();
        LeaseCapacity.GivenBack given = engine.jdbi().withHandle(h -> LeaseCapacity.giveBack(h, returns, resourceAttributes, types,
                Engine.WAKE_BATCH));
        // Follow-ups, after the slots are back: waking waiters is a hint (they also retry on their own
        // backoff), and an idle resource the blueprint does not keep is also found by the janitor.
        List<ResourceStore.Placed> dropIdle = given.leftOnResource().entrySet().stream()
                .filter(left -> left.getValue() == 0)
                .map(left -> resources.get(left.getKey()))
                .filter(p -> !keeps(p))
                .toList();
        if (!given.waiting().isEmpty() || !dropIdle.isEmpty()) {
            engine.jdbi().useTransaction(h -> {
                engine.tasks().updateLeases(h, given.waiting());
                for (ResourceStore.Placed p : dropIdle) {
                    // a lease may have taken it since its slot came back: locked and read again, as the janitor does
                    Optional<ResourceRow> now = ResourceStore.lockIdle(h, p.resource().id());
                    if (now.isEmpty()) {
                        continue;
                    }
                    if (ResourceStore.transition(h, now.get(), ResourceStatus.ACTIVE, ResourceStatus.RELEASED,
                            "idle, and blueprint " + p.blueprint().name() + " does not keep idle resources")) {
                        engine.tasks().updateResource(h, p.resource().id());
                    }
                }
            });
        }
        return outcomes;
    }

    /** Whether the blueprint keeps an idle resource; one whose configuration is refused keeps it, and the janitor asks again. */
    private boolean keeps(ResourceStore.Placed p) {
        try {
            // current, not the resource's own: whether to keep it is about its future (decision 42)
            BlueprintRegistry.Configured c = engine.configured(p.blueprint());
            return Engine.impl(c).shouldKeep(c.config(), engine.view(p.resource(), p.blueprint()), Duration.ZERO);
        } catch (RuntimeException e) {
            return true;
        }
    }

    /** The final reason keeps the one that ended the lease: it is what the holder and `why` show. */
    private static String ended(LeaseRow lease) {
        return (lease.status() == LeaseStatus.BROKEN ? "broke: " : "released: ") + StepFailure.base(lease.statusReason());
    }
}
