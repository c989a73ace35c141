package dev.drydock.core.internal.engine;

import dev.drydock.api.InvalidRequestException;
import dev.drydock.api.LeaseRequest;
import dev.drydock.api.LeaseStatus;
import dev.drydock.api.spi.SubLease;
import dev.drydock.core.internal.store.EventLog;
import dev.drydock.core.internal.store.LeaseRow;
import dev.drydock.core.internal.store.LeaseStore;
import dev.drydock.core.internal.store.OwnerToken;
import dev.drydock.core.internal.store.SubLeaseStore;
import dev.drydock.taskqueue.SqlEnqueue;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;

/**
 * One resource's sub-leases (DESIGN §11), for its blueprint's steps: taken, found and let go at
 * once, each in a short transaction of its own, so a step that fails after taking one finds it
 * again when it is repeated. The owner token of a sub-lease is made here and never leaves the
 * database: the engine acts for the owner, and operators release with their own rights.
 */
final class SubLeases {
    static final int MAX_NAME = 100;
    /** How far up a chain of sub-leases the cycle check looks; deeper chains are refused. */
    static final int MAX_DEPTH = 8;
    /** How a cleaned-up lease's reason starts when it had broken, or been released. */
    private static final String BROKE = "broke: ";
    private static final String RELEASED = "released: ";
    private static final SqlEnqueue FIRST_UPDATE = Tasks.updateLeaseTask("l.id");
    private static final SqlEnqueue CLEAN_UP = Tasks.cleanUpLeaseTask("t.id");
    private final Engine engine;
    private final long ownerId;
    private final long ownerBlueprintId;
    private final Optional<Long> forLease;

    /** {@code forLease}: the owner's lease whose step this is, which sub-leases taken now serve alone. */
    SubLeases(Engine engine, long ownerId, long ownerBlueprintId, Optional<Long> forLease) {
        this.engine = engine;
        this.ownerId = ownerId;
        this.ownerBlueprintId = ownerBlueprintId;
        this.forLease = forLease;
    }

    SubLease take(String name, LeaseRequest request) {
        checkName(name);
        java.util.Objects.requireNonNull(request, "request");
        Optional<SubLease> current = find(name);
        if (current.isPresent()) {
            return current.get();
        }
        return engine.jdbi().inTransaction(h -> {
            refuseCycle(h, request.resourceType());
            LeaseRow lease = LeaseStore.insert(h, new LeaseStore.NewLease(OwnerToken.random(), request.resourceType(), request.attributes(),
                    List.copyOf(request.allowedBlueprints()), request.ttl().map(Duration::toMillis), request.acquireDeadline().toMillis()),
                    FIRST_UPDATE);
            // Steps of one resource run one at a time (the queue's serialization key), so the name is free;
            // the unique index would refuse a second one all the same.
            SubLeaseStore.own(h, lease.id(), ownerId, name, forLease);
            EventLog.resource(h, ownerId, ownerBlueprintId, "resource " + ownerId + " took sub-lease '" + name + "': lease " + lease.id()
                    + " for a " + request.resourceType() + forLease.map(id -> ", serving its lease " + id).orElse(""));
            return view(name, lease);
        });
    }

    Optional<SubLease> find(String name) {
        checkName(name);
        return engine.jdbi().withHandle(h -> SubLeaseStore.named(h, ownerId, name)).map(lease -> view(name, lease));
    }

    void release(String name) {
        checkName(name);
        engine.jdbi().useTransaction(h -> releaseOwned(h, engine, ownerId, Optional.of(name), "released by its owner, resource " + ownerId));
    }

    /** Releases the owner's sub-leases (one, or all for an empty {@code name}) and queues their clean-up, in {@code h}'s transaction. */
    static void releaseOwned(Handle h, Engine engine, long ownerId, Optional<String> name, String reason) {
        List<Long> ids = SubLeaseStore.disown(h, ownerId, name);
        if (!ids.isEmpty()) {
            LeaseStore.releaseAll(h, ids.stream().map(id -> new LeaseStore.Release(id, Optional.empty(), reason)).toList(), CLEAN_UP);
        }
    }

    /**
     * Why the owner must break, if one of its sub-leases ended without the owner letting it go: the
     * reason names the sub-lease and carries its own, so a chain reads from top to bottom.
     */
    static Optional<String> ownerBreaks(Handle h, long ownerId) {
        return SubLeaseStore.firstEnded(h, ownerId).map(SubLeases::endedReason);
    }

    /** Why a sub-lease's end breaks what it served: names the sub-lease and carries its own reason. */
    static String endedReason(SubLeaseStore.Owned o) {
        String reason = StepFailure.base(o.lease().statusReason());
        LeaseStatus ended = o.lease().status();
        if (ended == LeaseStatus.DESTROYED && reason.startsWith(BROKE)) { // already cleaned up: its reason says how it ended
            ended = LeaseStatus.BROKEN;
            reason = reason.substring(BROKE.length());
        } else if (ended == LeaseStatus.DESTROYED && reason.startsWith(RELEASED)) {
            ended = LeaseStatus.RELEASED;
            reason = reason.substring(RELEASED.length());
        }
        String how = switch (ended) {
            case BROKEN -> "broke: ";
            case RELEASED -> "was released: ";
            default -> "ended: ";
        };
        return "its sub-lease '" + o.name() + "' (lease " + o.lease().id() + ") " + how + reason;
    }

    /** Refuses a sub-lease whose type is this resource's own, or that of any resource up its chain. */
    private void refuseCycle(Handle h, String type) {
        Set<String> above = SubLeaseStore.typesAbove(h, ownerId, Cause.LEASE, MAX_DEPTH);
        if (above.contains(type)) {
            throw new InvalidRequestException("resourceType", "resource " + ownerId + " may not lease a '" + type
                    + "': it is itself a resource of that type or leased, directly or through others, by one (" + String.join(", ", above)
                    + "), so the chain could never end; lease a resource of another type");
        }
    }

    private SubLease view(String name, LeaseRow lease) {
        return new SubLeaseView(name, lease, engine);
    }

    private static void checkName(String name) {
        java.util.Objects.requireNonNull(name, "name");
        if (name.isBlank() || name.length() > MAX_NAME) {
            throw new InvalidRequestException("name", "a sub-lease's name must be 1 to " + MAX_NAME + " characters, not blank; was '"
                    + (name.length() > MAX_NAME ? name.substring(0, MAX_NAME) + "…" : name) + "'");
        }
    }
}
