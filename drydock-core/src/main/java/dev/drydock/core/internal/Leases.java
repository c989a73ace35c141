package dev.drydock.core.internal;

import dev.drydock.api.InvalidRequestException;
import dev.drydock.api.LeaseInfo;
import dev.drydock.api.LeaseNotFoundException;
import dev.drydock.api.LeaseRequest;
import dev.drydock.api.LeaseStatus;
import dev.drydock.api.NotLeaseHolderException;
import dev.drydock.api.ResourceInterface;
import dev.drydock.core.internal.engine.Engine;
import dev.drydock.core.internal.engine.Tasks;
import dev.drydock.core.internal.lease.Combiner;
import dev.drydock.core.internal.lease.LeaseEvents;
import dev.drydock.core.internal.store.EventLog;
import dev.drydock.core.internal.store.LeaseRow;
import dev.drydock.core.internal.store.LeaseStore;
import dev.drydock.core.internal.store.OwnerToken;
import dev.drydock.taskqueue.SqlEnqueue;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;

/** Lease operations shared by the allocator, handles and operator commands. */
public final class Leases {
    /** A request's first update, and a release's clean-up: the tasks their statements queue. */
    private static final SqlEnqueue UPDATE = Tasks.updateLeaseTask("l.id");
    private static final SqlEnqueue CLEAN_UP = Tasks.cleanUpLeaseTask("t.id");
    private final Engine engine;
    private final LeaseEvents events;
    private final RequestCheck check;
    /**
     * Requests and releases of this process's threads, combined into one statement each when they
     * come while one runs (architecture decision 15): a statement's fixed cost (executor start-up,
     * commit, round trip) was most of what a holder's request or release cost the server.
     */
    private final Combiner<LeaseStore.NewLease, LeaseRow> requests;
    private final Combiner<LeaseStore.Release, Optional<LeaseStatus>> releases;

    public Leases(Engine engine, LeaseEvents events) {
        this.engine = engine;
        this.events = events;
        this.check = new RequestCheck(engine.jdbi());
        this.requests = new Combiner<>(
                all -> engine.jdbi().withHandle(h -> LeaseStore.insertAll(h, all, UPDATE)),
                one -> engine.jdbi().withHandle(h -> LeaseStore.insert(h, one, UPDATE)));
        this.releases = new Combiner<>(this::releaseTogether,
                one -> engine.jdbi().withHandle(h -> LeaseStore.release(h, one, CLEAN_UP)));
    }

    /**
     * Releases that came at once, in one statement; a lease named again (say, by its holder and an
     * operator at the same moment) is released again alone afterwards, so that each caller's own
     * token decides its own outcome.
     */
    List<Optional<LeaseStatus>> releaseTogether(List<LeaseStore.Release> all) {
        Set<Long> seen = new HashSet<>();
        List<LeaseStore.Release> firsts = all.stream().filter(r -> seen.add(r.id())).toList();
        Map<Long, LeaseStatus> released = engine.jdbi().withHandle(h -> LeaseStore.releaseAll(h, firsts, CLEAN_UP));
        Set<Long> answered = new HashSet<>();
        return all.stream().map(r -> answered.add(r.id()) ? Optional.ofNullable(released.get(r.id()))
                : engine.jdbi().withHandle(h -> LeaseStore.release(h, r, CLEAN_UP))).toList();
    }

    public LeaseEvents events() {
        return events;
    }

    /** Records the request and its first update task in one statement; returns id and owner token. */
    public LeaseRow request(LeaseRequest request) {
        check.check(request);
        String token = OwnerToken.random();
        // Listening before the request commits: the holder's first await can then wait for a
        // change instead of reading a row it knows is PENDING (LeaseEvents keeps what came meanwhile).
        events.ensureListening();
        LeaseRow row = requests.submit(new LeaseStore.NewLease(token, request.resourceType(), request.attributes(),
                List.copyOf(request.allowedBlueprints()), request.ttl().map(Duration::toMillis), request.acquireDeadline().toMillis()));
        engine.tasks().committed();
        return row;
    }

    public Optional<LeaseInfo> info(long id) {
        return engine.jdbi().withHandle(h -> LeaseStore.info(h, id));
    }

    /**
     * Leases with ids below {@code beforeId}, newest first, with only the filters given.
     *
     * @throws InvalidRequestException no blueprint was ever named {@code blueprint}
     */
    public List<LeaseInfo> list(Optional<LeaseStatus> status, Optional<String> resourceType, Optional<String> blueprint, long beforeId,
                                int limit) {
        return engine.jdbi().withHandle(h -> {
            List<LeaseRow> rows = LeaseStore.page(h, status, resourceType, blueprintIds(h, blueprint), beforeId, limit);
            Long[] resourceIds = rows.stream().flatMap(r -> r.resourceId().stream()).distinct().toArray(Long[]::new);
            java.util.Map<Long, String> names = new java.util.HashMap<>();
            h.createQuery("SELECT r.id, b.name FROM dd_resource r JOIN dd_blueprint b ON b.id = r.blueprint_id WHERE r.id = ANY(:ids)")
                    .bind("ids", resourceIds).map((rs, ctx) -> java.util.Map.entry(rs.getLong(1), rs.getString(2)))
                    .forEach(e -> names.put(e.getKey(), e.getValue()));
            return rows.stream().map(r -> LeaseStore.info(r, r.resourceId().map(names::get))).toList();
        });
    }

    /**
     * The ids of the blueprints named {@code name}, if a name is given.
     *
     * @throws InvalidRequestException no blueprint was ever named so: a page filtered by it would
     *         be empty for a reason the caller should see (a typo, most likely)
     */
    public static Optional<Long[]> blueprintIds(Handle h, Optional<String> name) {
        return name.map(n -> {
            Long[] ids = dev.drydock.core.internal.store.BlueprintStore.idsNamed(h, n);
            if (ids.length == 0) {
                throw new InvalidRequestException("blueprint", "there is no blueprint named '" + n + "'");
            }
            return ids;
        });
    }

    /**
     * Releases a lease: by its holder (the owner token must match) or, with {@code ownerToken}
     * null, by an operator. Idempotent: releasing a released lease does nothing.
     *
     * @throws NotLeaseHolderException the token is not the lease's; nothing was changed
     */
    public void release(long id, String ownerToken) {
        release(id, ownerToken, ownerToken == null ? "released by an operator" : "released by its holder");
    }

    /** Releases a lease as the operator {@code who}, whoever holds it; the reason names the operator. */
    public void releaseAsOperator(long id, String who) {
        release(id, null, "released by operator " + who);
    }

    private void release(long id, String ownerToken, String reason) {
        if (releases.submit(new LeaseStore.Release(id, Optional.ofNullable(ownerToken), reason)).isPresent()) {
            engine.tasks().committed();
            return; // released, its clean-up queued, in one statement
        }
        engine.jdbi().useHandle(h -> {
            // Nothing released: say why, unless the lease was simply done already.
            LeaseRow lease = LeaseStore.find(h, id).orElseThrow(() -> new LeaseNotFoundException(id));
            if (ownerToken != null && !sameToken(ownerToken, lease.ownerToken())) {
                throw new NotLeaseHolderException(id);
            }
        });
    }

    /**
     * An interface on an active lease for its holder.
     *
     * @throws NotLeaseHolderException {@code ownerToken} is not the lease's
     */
    public <T extends ResourceInterface> Optional<T> interfaceOf(long id, String ownerToken, Class<T> type) {
        return interfaceOf(id, type, (h, lease) -> {
            if (!sameToken(ownerToken, lease.ownerToken())) {
                throw new NotLeaseHolderException(id);
            }
        });
    }

    /**
     * An interface on an active lease for the operator {@code who}, whoever holds it; the lease's log
     * records who opened which interface, so a holder can see that someone else acted on the lease.
     */
    public <T extends ResourceInterface> Optional<T> interfaceAsOperator(long id, Class<T> type, String who) {
        return interfaceOf(id, type, (h, lease) -> {
            if (lease.status() == LeaseStatus.ACTIVE) { // otherwise refused below: nothing was done
                EventLog.lease(h, id, lease.resourceId().orElse(null),
                        "lease " + id + ": " + kind(type) + " interface opened by operator " + who);
            }
        });
    }

    private <T extends ResourceInterface> Optional<T> interfaceOf(long id, Class<T> type, Admission admission) {
        LeaseStore.Situation situation = engine.jdbi().withHandle(h -> {
            Optional<LeaseStore.Situation> found = LeaseStore.situation(h, id);
            // Who may act is decided before the lease's state is told, and an operator's visit is
            // written before the interface is handed out.
            found.ifPresent(s -> admission.admit(h, s.lease()));
            return found;
        }).orElseThrow(() -> new LeaseNotFoundException(id));
        LeaseRow lease = situation.lease();
        if (lease.status() != LeaseStatus.ACTIVE) {
            throw new InvalidRequestException("lease", "lease " + id + " is " + lease.status() + ", not ACTIVE: " + lease.statusReason());
        }
        return engine.interfaceOn(situation, type);
    }

    /** Decides, with the lease read, whether the caller may have an interface on it. */
    @FunctionalInterface
    private interface Admission {
        void admit(Handle h, LeaseRow lease);
    }

    private static String kind(Class<?> type) {
        String name = type.getSimpleName();
        return name.endsWith("Interface") ? name.substring(0, name.length() - "Interface".length()).toLowerCase(java.util.Locale.ROOT) : name;
    }

    // Constant time: how much of a guessed token matched must not show in how long the refusal took.
    private static boolean sameToken(String given, String actual) {
        return MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), actual.getBytes(StandardCharsets.UTF_8));
    }

    public String blueprintTypeOf(long id) {
        return engine.jdbi().withHandle(h -> LeaseStore.situation(h, id)).flatMap(LeaseStore.Situation::placed)
                .map(p -> p.blueprint().type()).orElse("unknown");
    }
}
