package dev.drydock.core.internal;

import dev.drydock.api.Allocator;
import dev.drydock.api.GangInfo;
import dev.drydock.api.InvalidRequestException;
import dev.drydock.api.LeaseRequest;
import dev.drydock.core.internal.engine.Engine;
import dev.drydock.core.internal.engine.Tasks;
import dev.drydock.core.internal.lease.LeaseEvents;
import dev.drydock.core.internal.store.GangStore;
import dev.drydock.core.internal.store.LeaseStore;
import dev.drydock.core.internal.store.OwnerToken;
import dev.drydock.taskqueue.SqlEnqueue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Gang operations shared by the allocator, the CLI and the HTTP API (docs/planner.md). */
public final class Gangs {
    private static final SqlEnqueue FIRST_UPDATE = Tasks.updateGangTask("gi.id");
    private final Engine engine;
    private final LeaseEvents events;
    private final RequestCheck check;

    public Gangs(Engine engine, LeaseEvents events) {
        this.engine = engine;
        this.events = events;
        this.check = new RequestCheck(engine.jdbi());
    }

    /**
     * Records a gang and its members, each checked as a single request is, with its first update, in
     * one statement; the gang's deadline is the earliest of the members'.
     *
     * @throws InvalidRequestException no members, more than {@link Allocator#MAX_GANG}, or a member refused (named by its index)
     */
    public GangStore.Inserted request(List<LeaseRequest> members) {
        if (members.isEmpty() || members.size() > Allocator.MAX_GANG) {
            throw new InvalidRequestException("members", "a gang has 1 to " + Allocator.MAX_GANG + " members, was " + members.size());
        }
        List<LeaseStore.NewLease> leases = new ArrayList<>();
        for (int i = 0; i < members.size(); i++) {
            LeaseRequest request = members.get(i);
            try {
                check.check(request);
            } catch (InvalidRequestException e) {
                throw new InvalidRequestException("members[" + i + "]." + e.field(), e.getMessage().substring(e.field().length() + 2));
            }
            leases.add(new LeaseStore.NewLease(OwnerToken.random(), request.resourceType(), request.attributes(),
                    List.copyOf(request.allowedBlueprints()), request.ttl().map(Duration::toMillis), request.acquireDeadline().toMillis()));
        }
        long deadlineMs = members.stream().mapToLong(r -> r.acquireDeadline().toMillis()).min().orElseThrow();
        events.ensureListening(); // before the insert commits: the holders' first awaits then wait for changes
        GangStore.Inserted inserted = engine.jdbi().withHandle(h -> GangStore.insert(h, leases, deadlineMs, FIRST_UPDATE));
        engine.tasks().committed();
        return inserted;
    }

    public Optional<GangInfo> info(long id) {
        return engine.jdbi().inTransaction(h -> GangStore.info(h, id));
    }

    /** The owner tokens of a gang's members, in request order: what the holder of the gang holds. */
    public List<String> ownerTokens(long id) {
        return engine.jdbi().withHandle(h -> GangStore.members(h, id).stream().map(m -> m.lease().ownerToken()).toList());
    }
}
