package dev.drydock.core.internal.engine;

import dev.drydock.taskqueue.RetryPolicy;
import dev.drydock.taskqueue.SqlEnqueue;
import dev.drydock.taskqueue.TaskQueue;
import dev.drydock.taskqueue.TaskSpec;
import java.time.Duration;
import java.util.Collection;
import org.jdbi.v3.core.Handle;

/**
 * The engine's task kinds. Updates of one lease (or resource) share a serialization key, so at most
 * one runs at a time anywhere, and a dedupe key, so a burst of wake-ups coalesces into one queued
 * update that runs at the earliest time any of them asked for.
 */
public final class Tasks {
    public static final String LEASE_UPDATE = "drydock.lease-update";
    /**
     * A released lease's clean-up: the same update (it does what the lease's status calls for),
     * queued under a kind of its own so that clean-ups run in batches beside allocations instead of
     * in them: holders wait for an allocation, nobody waits for a clean-up.
     */
    public static final String LEASE_CLEAN_UP = "drydock.lease-clean-up";
    /**
     * The kind of resource updates queued before migration V12; a taskmaster forwards one to its
     * type's kind ({@link #resourceUpdateKind}).
     */
    public static final String RESOURCE_UPDATE = "drydock.resource-update";
    public static final String JANITOR = "drydock.janitor";
    /**
     * A gang's update (docs/planner.md): admits it, prepares its members and activates them
     * together, or gives everything back. Its members' own updates hand over to it while the gang is
     * not active, so a gang's members move only here, one gang at a time (key {@code gang:<id>}).
     */
    public static final String GANG_UPDATE = "drydock.gang-update";
    /**
     * What a blueprint's reaper task kind starts with; the blueprint's type follows
     * ({@link #reapKind}). A kind per type, so that only a taskmaster that has the type's
     * implementation claims its blueprints' passes.
     */
    public static final String REAP_PREFIX = "drydock.reap:";
    /**
     * The queue's retries, for what the engine cannot retry itself (the database away during a
     * step, a taskmaster killed mid-step): never given up, since a lease or resource whose task is
     * archived as failed is stranded. Blueprint failures never get here: the engine turns them into
     * yields on its own backoff ({@link StepRetry}), with the error in the row's status reason.
     */
    static final RetryPolicy RETRIES = new RetryPolicy(Integer.MAX_VALUE, Duration.ofMillis(200), Duration.ofSeconds(30));

    private final TaskQueue queue;

    public Tasks(TaskQueue queue) {
        this.queue = queue;
    }

    /**
     * The kind of the updates of resources of blueprint type {@code type}: claimed only by
     * taskmasters that registered the type (architecture decision 45).
     */
    public static String resourceUpdateKind(String type) {
        return RESOURCE_UPDATE + ":" + type;
    }

    /**
     * The kind of a lease update handed to the taskmasters of blueprint type {@code type}, because
     * its next step needs that type's implementation (see {@link #forwardLease}).
     */
    public static String leaseUpdateKind(String type) {
        return LEASE_UPDATE + ":" + type;
    }

    /**
     * The blueprint type whose work (resource updates, handed-over lease updates) tasks of
     * {@code kind} are; empty for every other kind, the perpetual janitors and reapers included.
     */
    public static java.util.Optional<String> typeOf(String kind) {
        for (String prefix : new String[] {RESOURCE_UPDATE + ":", LEASE_UPDATE + ":"}) {
            if (kind.startsWith(prefix)) {
                return java.util.Optional.of(kind.substring(prefix.length()));
            }
        }
        return java.util.Optional.empty();
    }

    /**
     * Hands a lease's update to the taskmasters of blueprint type {@code type}, after {@code delay}:
     * same serialization and dedupe key as its other updates, so it still runs one at a time.
     */
    public void forwardLease(Handle h, long leaseId, String type, Duration delay) {
        String key = "lease:" + leaseId;
        queue.enqueue(h, TaskSpec.builder(leaseUpdateKind(type)).payload("{\"id\": " + leaseId + "}").dedupeKey(key).serialKey(key)
                .retryPolicy(RETRIES).delay(delay).build());
    }

    /**
     * Rings the taskmasters in this JVM working the same data source, after a statement that queued
     * tasks through an {@link SqlEnqueue} committed: they claim at once instead of waiting for the
     * database's notification, which reaches every other process as before.
     */
    public void committed() {
        queue.wakeTaskmasters();
    }

    public void updateLease(Handle h, long leaseId) {
        queue.enqueue(h, spec(LEASE_UPDATE, "lease:" + leaseId, leaseId));
    }

    /**
     * The enqueue of the update of the lease whose id {@code idExpression} yields, for a statement
     * that also writes the lease, so both take one round trip and no transaction (same task as
     * {@link #updateLease}).
     */
    public static SqlEnqueue updateLeaseTask(String idExpression) {
        // the statement inserts the lease: no task can name it yet, so no twin to coalesce into
        return leaseTask(LEASE_UPDATE, idExpression).newDedupeKey(leaseKey(idExpression));
    }

    /**
     * As {@link #updateLeaseTask}, for the clean-up after a release ({@link #LEASE_CLEAN_UP}),
     * without a dedupe key: a lease is released once, and only its release queues a clean-up.
     */
    public static SqlEnqueue cleanUpLeaseTask(String idExpression) {
        return leaseTask(LEASE_CLEAN_UP, idExpression);
    }

    /** A task of {@code kind} for the lease whose id {@code idExpression} yields, serialized with its other updates. */
    private static SqlEnqueue leaseTask(String kind, String idExpression) {
        return SqlEnqueue.of(kind, "json_build_object('id', " + idExpression + ")").serialKey(leaseKey(idExpression)).retryPolicy(RETRIES);
    }

    private static String leaseKey(String idExpression) {
        return "'lease:' || " + idExpression;
    }

    /**
     * Queues an update of each lease, in id order so that concurrent wake-ups take the dedupe
     * keys' index locks in one order. Call it once per transaction with every lease to wake: two
     * calls, each sorted, are not sorted together, and two transactions waking overlapping sets
     * that way deadlocked (seen with resources activating at once).
     */
    public void updateLeases(Handle h, Collection<Long> leaseIds) {
        if (!leaseIds.isEmpty()) {
            queue.enqueueAll(h, leaseIds.stream().sorted().distinct().map(id -> spec(LEASE_UPDATE, "lease:" + id, id)).toList());
        }
    }

    /**
     * Queues the update of one resource. Defined once, in SQL ({@code dd_update_resource},
     * migration V9), because the trigger that wakes a sub-lease's owner queues it too.
     */
    public void updateResource(Handle h, long resourceId) {
        h.createQuery("SELECT dd_update_resource(:id)").bind("id", resourceId).mapTo(Long.class).one();
    }

    /** Queues the update of gang {@code gangId} (coalescing with one queued already). */
    public void updateGang(Handle h, long gangId) {
        queue.enqueue(h, spec(GANG_UPDATE, "gang:" + gangId, gangId));
    }

    /** The first update of the gang whose id {@code idExpression} yields, for the statement that inserts it. */
    public static SqlEnqueue updateGangTask(String idExpression) {
        String key = "'gang:' || " + idExpression;
        return SqlEnqueue.of(GANG_UPDATE, "json_build_object('id', " + idExpression + ")").newDedupeKey(key).serialKey(key).retryPolicy(RETRIES);
    }

    /** The kind of the janitor of blueprint type {@code type} ({@code TypeJanitor}). */
    public static String typeJanitorKind(String type) {
        return JANITOR + ":" + type;
    }

    /** Starts the janitor of blueprint type {@code type}, unless one is queued (a running one coalesces into it when it yields). */
    public void startTypeJanitor(Handle h, String type) {
        String kind = typeJanitorKind(type);
        queue.enqueue(h, TaskSpec.builder(kind).dedupeKey(kind).serialKey(kind).retryPolicy(RETRIES).build());
    }

    public void startJanitor(Handle h) {
        queue.enqueue(h, TaskSpec.builder(JANITOR).dedupeKey(JANITOR).serialKey(JANITOR).retryPolicy(RETRIES).build());
    }

    /** What the kind of a blueprint's planner starts with; its type follows ({@link #planKind}). */
    public static final String PLAN_PREFIX = "drydock.plan:";

    /**
     * The kind of the planner of blueprints of {@code blueprintType} (docs/planner.md): by type,
     * because it asks the blueprint's implementation. Queued by {@code dd_plan_blueprint} (V17).
     */
    public static String planKind(String blueprintType) {
        return PLAN_PREFIX + blueprintType;
    }

    /**
     * Queues the planner of blueprint {@code blueprintId} even if it has no pool that expects
     * anything (a pool just lowered to zero still has warm resources to retire); one queued at most.
     */
    public void plan(Handle h, long blueprintId, String blueprintType) {
        String key = "plan:" + blueprintId;
        queue.enqueue(h, TaskSpec.builder(planKind(blueprintType)).payload("{\"id\": " + blueprintId + "}").priority(-1)
                .dedupeKey(key).serialKey(key).retryPolicy(RETRIES).build());
    }

    /** The task kind of the reaper passes of blueprints of {@code blueprintType}. */
    public static String reapKind(String blueprintType) {
        return REAP_PREFIX + blueprintType;
    }

    /** The serialization and dedupe key of blueprint {@code blueprintId}'s reaper. */
    static String reapKey(long blueprintId) {
        return "reap:" + blueprintId;
    }

    /**
     * Queues the reaper of a blueprint: a perpetual task, yielding for its interval after each pass.
     * The key keeps it one task: the janitor queues it only while none is queued or running, and
     * were a second queued while one runs, the running one's yield coalesces into it.
     */
    void startReaper(Handle h, long blueprintId, String blueprintType) {
        queue.enqueue(h, spec(reapKind(blueprintType), reapKey(blueprintId), blueprintId));
    }

    private static TaskSpec spec(String kind, String key, long id) {
        return TaskSpec.builder(kind).payload("{\"id\": " + id + "}").dedupeKey(key).serialKey(key).retryPolicy(RETRIES).build();
    }

    static long id(String payload) {
        int colon = payload.indexOf(':');
        return Long.parseLong(payload.substring(colon + 1, payload.indexOf('}')).trim());
    }
}
