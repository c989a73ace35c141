package dev.drydock.core;

import dev.drydock.api.Allocator;
import dev.drydock.api.Gang;
import dev.drydock.api.DrydockException;
import dev.drydock.api.Lease;
import dev.drydock.api.LeaseInfo;
import dev.drydock.api.LeaseRequest;
import dev.drydock.api.LeaseStatus;
import dev.drydock.api.ResourceInfo;
import dev.drydock.api.spi.BlueprintImplementation;
import dev.drydock.api.spi.ResourceScorer;
import dev.drydock.core.internal.Leases;
import dev.drydock.core.internal.lease.GangHandle;
import dev.drydock.core.internal.blueprint.BlueprintRegistry;
import dev.drydock.api.spi.SecretResolver;
import dev.drydock.core.internal.engine.BriefDatabaseFaults;
import dev.drydock.core.internal.engine.ConfigRepoint;
import dev.drydock.core.internal.engine.Engine;
import dev.drydock.core.internal.engine.Installation;
import dev.drydock.core.internal.placement.Scorers;
import dev.drydock.core.internal.secrets.SecretSchemes;
import dev.drydock.core.internal.engine.DestroyRetry;
import dev.drydock.core.internal.engine.Janitor;
import dev.drydock.core.internal.engine.TypeJanitor;
import dev.drydock.core.internal.engine.GangUpdater;
import dev.drydock.core.internal.engine.LeaseUpdater;
import dev.drydock.core.internal.engine.ReapHandler;
import dev.drydock.core.internal.engine.Planner;
import dev.drydock.core.internal.engine.ResourceUpdater;
import dev.drydock.core.internal.engine.StepRetry;
import dev.drydock.core.internal.engine.Tasks;
import dev.drydock.core.internal.failure.DatabaseFailures;
import dev.drydock.core.internal.failure.TranslatingLease;
import dev.drydock.core.internal.lease.LeaseEvents;
import dev.drydock.core.internal.lease.LeaseHandle;
import dev.drydock.core.internal.store.BlueprintStore;
import dev.drydock.core.internal.store.ReapStore;
import dev.drydock.core.internal.store.ResourceRow;
import dev.drydock.taskqueue.BatchTaskHandler;
import dev.drydock.taskqueue.TaskHandler;
import dev.drydock.taskqueue.TaskQueue;
import dev.drydock.taskqueue.TaskQueueSchema;
import dev.drydock.taskqueue.Taskmaster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The entry point: built from a {@link DataSource} with the blueprint implementations the
 * application uses, registered explicitly. Gives the {@link Allocator}, blueprint administration,
 * and taskmasters that do the allocation work. Thread-safe; close it when the application stops.
 *
 * <p>Everything it and the objects it hands out throw is a {@link DrydockException}: when the
 * database cannot be reached, a {@link dev.drydock.api.DatabaseUnavailableException} naming it
 * (never with its password); any other database error, a {@link dev.drydock.api.DatabaseFailureException}
 * in plain words. Neither quotes SQL; the library's original exception is the cause.
 */
public final class Drydock implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Drydock.class);

    private final DataSource dataSource;
    private final Engine engine;
    private final Leases leases;
    private final dev.drydock.core.internal.Gangs gangs;
    private final LeaseEvents events;
    private final Blueprints blueprints;
    private final ApiTokens apiTokens;
    /** Every public method's database failures pass through it (see the class comment). */
    private final DatabaseFailures failures;

    private final boolean analyzeYoungLeaseTable;

    private Drydock(DataSource dataSource, BlueprintRegistry registry, StepRetry retry, SecretSchemes secrets, Scorers scorers,
                    boolean analyzeYoungLeaseTable) {
        this.analyzeYoungLeaseTable = analyzeYoungLeaseTable;
        this.dataSource = dataSource;
        this.failures = DatabaseFailures.of(dataSource);
        Jdbi jdbi = Jdbi.create(dataSource);
        this.engine = new Engine(jdbi, registry, new Tasks(TaskQueue.builder(dataSource).build()), retry, secrets, new Installation(jdbi),
                new dev.drydock.core.internal.engine.WorkListeners(), scorers);
        this.events = new LeaseEvents(dataSource);
        this.leases = new Leases(engine, events);
        this.gangs = new dev.drydock.core.internal.Gangs(engine, events);
        this.blueprints = new Blueprints(jdbi, registry, secrets, failures, engine.tasks(), scorers);
        this.apiTokens = new ApiTokens(jdbi, this, failures);
    }

    public static Builder builder(DataSource dataSource) {
        return new Builder(dataSource);
    }

    /** The newest migration under {@code dev/drydock/core/migration} (a test keeps the two in step). */
    public static final String SCHEMA_VERSION = "18";

    /**
     * Creates or upgrades Drydock's tables (the queue's and the engine's). Safe from every process.
     * When both are current (read in one query each on their history tables' keys) it does nothing
     * more: Flyway's scan of the migrations and check of every applied one's checksum run only when
     * there is something to migrate.
     */
    public static void migrate(DataSource dataSource) {
        // Flyway's and the queue's messages may quote a migration's SQL: translated, never passed on.
        DatabaseFailures.of(dataSource).run("migrate the Drydock schema", () -> {
            if (isCurrent(dataSource)) {
                return;
            }
            try {
                dev.drydock.taskqueue.SchemaLock.whileHeld(dataSource, () -> {
                    if (!isCurrent(dataSource)) {
                        TaskQueueSchema.migrate(dataSource);
                        Flyway.configure(Drydock.class.getClassLoader()).dataSource(dataSource)
                                .locations("classpath:dev/drydock/core/migration").table("dd_schema_history")
                                .baselineOnMigrate(true).baselineVersion("0").load().migrate();
                    }
                });
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException("cannot take the schema lock", e); // translated by the caller
            }
        });
    }

    /**
     * Whether the queue's and the engine's tables are at their newest versions; false if that cannot
     * be read. A database that cannot be reached fails here (once, not again in Flyway).
     */
    private static boolean isCurrent(DataSource dataSource) {
        try (java.sql.Connection connection = dataSource.getConnection()) {
            return TaskQueueSchema.isCurrent(connection)
                    && dev.drydock.taskqueue.SchemaHistory.isAt(connection, "dd_schema_history", SCHEMA_VERSION);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("cannot connect to check the schema version", e); // translated by the caller
        }
    }

    public Allocator allocator() {
        return new Allocator() {
            @Override
            public Lease acquire(LeaseRequest request) {
                Objects.requireNonNull(request, "request");
                var row = failures.call("request a lease", () -> leases.request(request));
                return new TranslatingLease(new LeaseHandle(row.id(), row.ownerToken(), leases, true), failures);
            }

            @Override
            public Gang acquireAll(List<LeaseRequest> members) {
                Objects.requireNonNull(members, "members");
                members.forEach(m -> Objects.requireNonNull(m, "members contains null"));
                var inserted = failures.call("request a gang of leases", () -> gangs.request(members));
                List<Lease> handles = inserted.members().stream()
                        .<Lease>map(row -> new TranslatingLease(new LeaseHandle(row.id(), row.ownerToken(), leases, true), failures)).toList();
                return new GangHandle(inserted.gang().id(), handles, id -> failures.call("read gang " + id, () -> gangs.info(id)));
            }

            @Override
            public Lease attach(long leaseId, String ownerToken) {
                return new TranslatingLease(new LeaseHandle(leaseId, Objects.requireNonNull(ownerToken, "ownerToken"), leases, false),
                        failures);
            }

            @Override
            public Optional<LeaseInfo> find(long leaseId) {
                return failures.call("read lease " + leaseId, () -> leases.info(leaseId));
            }
        };
    }

    /** A gang and its members as the database records them (docs/planner.md); empty if there is no such gang. */
    public Optional<dev.drydock.api.GangInfo> gang(long gangId) {
        return failures.call("read gang " + gangId, () -> gangs.info(gangId));
    }

    public Blueprints blueprints() {
        return blueprints;
    }

    /** The HTTP API's tokens and the leases acquired with them. */
    public ApiTokens apiTokens() {
        return apiTokens;
    }

    /** The most rows one listing returns. */
    public static final int MAX_LIST = 10_000;

    /**
     * Leases, newest first, optionally only those in one status.
     *
     * @throws InvalidRequestException {@code limit} is not 1 to {@link #MAX_LIST}
     */
    public List<LeaseInfo> leases(Optional<LeaseStatus> status, int limit) {
        return leases(status, Long.MAX_VALUE, limit);
    }

    /**
     * One page of leases, newest first: those with ids below {@code beforeId}, optionally only in
     * one status. A client pages by passing the last id it got; a page stays stable while leases are
     * added, since new ones have higher ids.
     *
     * @throws InvalidRequestException {@code limit} is not 1 to {@link #MAX_LIST}
     */
    public List<LeaseInfo> leases(Optional<LeaseStatus> status, long beforeId, int limit) {
        LeaseQuery query = LeaseQuery.newest(limit).before(beforeId);
        return leases(status.map(query::withStatus).orElse(query));
    }

    /**
     * One page of leases as {@code query} says: newest first, filtered by status, resource type and
     * blueprint, below a cursor. Every filter is served by an index, so a page costs about the same
     * at a million archived leases as at a hundred.
     *
     * @throws InvalidRequestException no blueprint was ever named as the query's blueprint
     */
    public List<LeaseInfo> leases(LeaseQuery query) {
        Objects.requireNonNull(query, "query");
        return failures.call("list leases",
                () -> leases.list(query.status(), query.resourceType(), query.blueprint(), query.beforeId(), query.limit()));
    }

    /** One resource, if it exists. */
    public Optional<ResourceInfo> resource(long resourceId) {
        return failures.call("read a resource", () -> engine.jdbi().withHandle(h -> dev.drydock.core.internal.store.ResourceStore
                .find(h, resourceId).map(r -> info(r, BlueprintStore.byId(h, r.blueprintId())
                        .map(dev.drydock.core.internal.store.BlueprintRow::name).orElse(null)))));
    }

    /**
     * What a lease that is not active waits on, link by link through sub-leases (DESIGN §11): the
     * resource being built or prepared for it, that resource's sub-leases that are not active, what
     * those wait on, and so on. Empty for a lease that waits on no resource (it waits for room, or
     * is active or done; its status reason says so).
     */
    public List<WaitLink> waitChain(long leaseId) {
        return failures.call("explain lease " + leaseId, () -> engine.jdbi().withHandle(h -> dev.drydock.core.internal.WaitChain.of(h, leaseId)));
    }

    /**
     * The leases placed on resource {@code resourceId} and its sub-leases, at most {@code limit} of
     * each, newest first. Both are read through partial indexes of live leases, never the history.
     *
     * @throws InvalidRequestException {@code limit} is not 1 to {@link #MAX_LIST}
     */
    public ResourceLeases leasesOf(long resourceId, int limit) {
        PageLimits.check(Long.MAX_VALUE, limit);
        return failures.call("read the leases of resource " + resourceId, () -> engine.jdbi().withHandle(h -> new ResourceLeases(
                infos(h, h.createQuery("""
                                SELECT id FROM dd_lease WHERE resource_id = :r AND status IN ('ACQUIRED', 'ACTIVE', 'RELEASED')
                                ORDER BY id DESC LIMIT :n""").bind("r", resourceId).bind("n", limit).mapTo(Long.class).list()),
                infos(h, h.createQuery("""
                                SELECT id FROM dd_lease WHERE owner_resource_id = :r AND owner_name IS NOT NULL
                                ORDER BY id DESC LIMIT :n""").bind("r", resourceId).bind("n", limit).mapTo(Long.class).list()))));
    }

    /** The lease that has waited longest for a resource (the oldest PENDING one), if any waits. */
    public Optional<LeaseInfo> oldestWaiting() {
        // min(id) over the partial index of PENDING leases: as cheap as the waiting leases are few
        return failures.call("find the oldest waiting lease", () -> engine.jdbi().withHandle(h -> h.createQuery(
                        "SELECT min(id) FROM dd_lease WHERE status = 'PENDING'").mapTo(Long.class).findOne()
                .flatMap(id -> dev.drydock.core.internal.store.LeaseStore.info(h, id))));
    }

    private static List<LeaseInfo> infos(org.jdbi.v3.core.Handle h, List<Long> ids) {
        return ids.stream().flatMap(id -> dev.drydock.core.internal.store.LeaseStore.info(h, id).stream()).toList();
    }

    /**
     * A watch on every lease's changes, for a view of many leases that is shown again as they change
     * (CLI {@code --watch}, a console page): make it before the first read of the view.
     */
    public LeaseChangeWatch watchLeases() {
        return failures.call("watch leases", () -> new LeaseChangeWatch(events.subscribeAll()));
    }

    /**
     * Lease {@code leaseId} once its status is other than {@code seen}, or as it is when
     * {@code max} has passed first: a long-poll for watchers (the HTTP API's {@code ?wait=}, a
     * console page), woken by the database as soon as the lease changes. Waits for nobody's
     * permission: reading a lease needs none.
     *
     * @throws dev.drydock.api.LeaseNotFoundException there is no such lease
     * @throws dev.drydock.api.LeaseWaitInterruptedException the thread was interrupted (its status stays set)
     */
    public LeaseInfo awaitLeaseChange(long leaseId, LeaseStatus seen, Duration max) {
        Objects.requireNonNull(seen, "seen");
        Objects.requireNonNull(max, "max");
        return failures.call("watch lease " + leaseId, () -> {
            long deadline = System.nanoTime() + max.toNanos();
            events.ensureListening();
            try (dev.drydock.core.internal.lease.LeaseEvents.Subscription changes = events.subscribe(leaseId)) {
                while (true) {
                    LeaseInfo info = leases.info(leaseId).orElseThrow(() -> new dev.drydock.api.LeaseNotFoundException(leaseId));
                    long left = deadline - System.nanoTime();
                    if (info.status() != seen || left <= 0) {
                        return info;
                    }
                    try {
                        changes.awaitChange(Duration.ofNanos(left));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new dev.drydock.api.LeaseWaitInterruptedException(leaseId);
                    }
                }
            }
        });
    }

    /** Releases a lease as an operator, whoever holds it. */
    public void releaseLease(long leaseId) {
        failures.run("release lease " + leaseId, () -> leases.release(leaseId, null));
    }

    /**
     * Releases a lease as the named operator, whoever holds it; the lease's reason and log say
     * "released by operator WHO". Idempotent.
     *
     * @param operator who acts, e.g. {@code "root (uid 0)"}
     */
    public void releaseLease(long leaseId, String operator) {
        Objects.requireNonNull(operator, "operator");
        failures.run("release lease " + leaseId, () -> leases.releaseAsOperator(leaseId, operator));
    }

    /**
     * This installation's id: random, made once when the schema was created, the same for every
     * process that uses this database. Keys what a client keeps per database, and tags what
     * Drydock creates outside it. Read once and kept: blueprint steps see it in their
     * {@link dev.drydock.api.spi.ResourceView} at no cost.
     */
    public String installationId() {
        return failures.call("read the installation id", () -> engine.installation().id());
    }

    /**
     * Resources whose destroy keeps failing, and the latest {@code limit} of them with their errors.
     * It reads only resources being destroyed (an index holds them), never the history.
     */
    public DestroyFailures destroyFailures(int limit) {
        if (limit < 0) {
            throw new dev.drydock.api.InvalidRequestException("limit", "must not be negative, was " + limit);
        }
        return failures.call("count failing destroys", () -> engine.jdbi().withHandle(h -> {
            List<java.util.Map.Entry<Long, DestroyFailures.Failing>> rows = h.createQuery("""
                            SELECT r.id, b.name, r.status_reason, r.updated_at, count(*) OVER ()
                            FROM dd_resource r JOIN dd_blueprint b ON b.id = r.blueprint_id
                            WHERE r.status IN ('RELEASED', 'BROKEN') AND r.attributes ->> :failures IS NOT NULL
                            ORDER BY r.updated_at DESC, r.id LIMIT greatest(:limit, 1)""")
                    .bind("failures", DestroyRetry.FAILURES).bind("limit", limit)
                    .map((rs, ctx) -> java.util.Map.entry(rs.getLong(5), new DestroyFailures.Failing(rs.getLong(1), rs.getString(2),
                            rs.getString(3), rs.getTimestamp(4).toInstant())))
                    .list();
            long count = rows.isEmpty() ? 0 : rows.getFirst().getKey();
            return new DestroyFailures(count, rows.stream().map(java.util.Map.Entry::getValue).limit(limit).toList());
        }));
    }

    /**
     * What each blueprint's reaper has destroyed, what waits for its second pass, and what fails.
     * It reads a row per blueprint and the objects orphaned now, never the history.
     */
    public Reapers reapers() {
        return failures.call("read the reapers' counts", () -> engine.jdbi().withHandle(h -> new Reapers(ReapStore.summaries(h).stream()
                .map(s -> new Reapers.Blueprint(s.blueprint(), s.reaped(), s.waiting(), s.failing(), java.util.stream.Stream.concat(
                        s.listError().stream(),
                        s.failingDestroy().map(e -> "failing to destroy " + e).stream()).toList()))
                .toList())));
    }

    public List<ResourceInfo> resources() {
        return failures.call("list resources", () -> engine.jdbi().withHandle(h -> {
            java.util.Map<Long, String> names = BlueprintStore.names(h);
            return dev.drydock.core.internal.store.ResourceStore.all(h).stream().map(r -> info(r, names.get(r.blueprintId()))).toList();
        }));
    }

    /**
     * One page of resources as {@code query} says: newest first, filtered by status, resource type
     * and blueprint, below a cursor; each filter is served by an index.
     *
     * @throws InvalidRequestException no blueprint was ever named as the query's blueprint
     */
    public List<ResourceInfo> resources(ResourceQuery query) {
        Objects.requireNonNull(query, "query");
        return failures.call("list resources", () -> engine.jdbi().withHandle(h -> {
            java.util.Map<Long, String> names = BlueprintStore.names(h);
            return dev.drydock.core.internal.store.ResourceStore.page(h, query.status(), query.resourceType(),
                            Leases.blueprintIds(h, query.blueprint()), query.beforeId(), query.limit())
                    .stream().map(r -> info(r, names.get(r.blueprintId()))).toList();
        }));
    }

    private static ResourceInfo info(ResourceRow r, String blueprintName) {
        return new ResourceInfo(r.id(), r.status(), r.resourceType(), blueprintName, r.statusReason(), r.capacity(),
                r.activeLeases(), r.attributes(), r.createdAt());
    }

    /**
     * History rows after {@code afterId} (0 for all), oldest first, optionally only those of one
     * lease, resource or blueprint.
     */
    public List<LogEntry> logs(Optional<Long> leaseId, Optional<Long> resourceId, Optional<String> blueprintName, long afterId, int limit) {
        return failures.call("read the log", () -> engine.jdbi().withHandle(h ->
                dev.drydock.core.internal.store.LogStore.after(h, leaseId, resourceId, blueprintName, afterId, limit)));
    }

    /**
     * The latest history rows before {@code beforeId} ({@link Long#MAX_VALUE} for the newest), newest
     * first, filtered as {@link #logs}: the tail a console shows, paged backwards by the last id.
     * Each filter is read through its index, at any history size.
     */
    public List<LogEntry> logsBefore(Optional<Long> leaseId, Optional<Long> resourceId, Optional<String> blueprintName, long beforeId,
                                     int limit) {
        PageLimits.check(beforeId, limit);
        return failures.call("read the log", () -> engine.jdbi().withHandle(h ->
                dev.drydock.core.internal.store.LogStore.before(h, leaseId, resourceId, blueprintName, beforeId, limit)));
    }

    /** An interface on an active lease, for operators (no owner token needed); logged as an unnamed operator's. */
    public <T extends dev.drydock.api.ResourceInterface> T interfaceOf(long leaseId, Class<T> type) {
        return interfaceOf(leaseId, type, "(unnamed)");
    }

    /**
     * An interface on an active lease for the named operator, whoever holds it (no owner token
     * needed); the lease's log records that the operator opened it, so its holder can tell.
     *
     * @param operator who acts, e.g. {@code "root (uid 0)"}
     */
    public <T extends dev.drydock.api.ResourceInterface> T interfaceOf(long leaseId, Class<T> type, String operator) {
        Objects.requireNonNull(operator, "operator");
        return failures.call("open an interface on lease " + leaseId, () -> leases.interfaceAsOperator(leaseId, type, operator)
                .orElseThrow(() -> new dev.drydock.api.InterfaceNotSupportedException(leaseId, type, leases.blueprintTypeOf(leaseId))));
    }

    /**
     * Releases an idle resource so it is destroyed; refused while leases hold it (release those
     * first). A resource already released or broken is not released again, but its destruction is
     * tried again at once (say, after its blueprint's configuration was fixed).
     *
     * @return true if this call released it; false if it had already ended (see {@link #resource})
     * @throws InvalidRequestException no resource has that id
     */
    public boolean releaseResource(long resourceId) {
        return failures.call("release resource " + resourceId, () -> engine.jdbi().inTransaction(h -> {
            ResourceRow r = dev.drydock.core.internal.store.ResourceStore.lock(h, resourceId)
                    .orElseThrow(() -> new dev.drydock.api.InvalidRequestException("resource", "no resource " + resourceId));
            if (r.activeLeases() > 0) {
                throw new DrydockException("resource " + resourceId + " holds " + r.activeLeases() + " lease(s); release them first");
            }
            switch (r.status()) {
                case ACTIVE, PENDING -> {
                    if (dev.drydock.core.internal.store.ResourceStore.transition(h, r, r.status(),
                            dev.drydock.api.ResourceStatus.RELEASED, "released by an operator")) {
                        engine.tasks().updateResource(h, resourceId);
                        return true;
                    }
                    throw new DrydockException("resource " + resourceId + " changed while being released; try again");
                }
                case RELEASED, BROKEN -> {
                    engine.tasks().updateResource(h, resourceId); // being destroyed: try now rather than after its backoff
                    return false;
                }
                default -> {
                    return false;
                }
            }
        }));
    }

    /** The configuration resource {@code resourceId}'s steps use, if the resource exists (references only, never secret values). */
    public Optional<ResourceConfig> resourceConfig(long resourceId) {
        return failures.call("read a resource's configuration", () -> engine.jdbi().withHandle(h ->
                dev.drydock.core.internal.store.ResourceStore.configInUse(h, resourceId).map(e -> new ResourceConfig(e.getKey(), e.getValue()))));
    }

    /**
     * Points a resource at its blueprint's current configuration, as the named operator. Every step
     * of a resource uses the configuration it was built with, so editing a blueprint never strands
     * or mis-destroys what it built; when that configuration was the mistake (a wrong key reference
     * that breaks the destroy), fix the blueprint and then call this. A resource being built or
     * destroyed is tried again at once.
     *
     * @return false if the resource already used the current configuration
     * @throws dev.drydock.api.InvalidRequestException no resource has that id, or it is destroyed
     */
    public boolean useCurrentConfig(long resourceId, String operator) {
        Objects.requireNonNull(operator, "operator");
        return failures.call("re-point resource " + resourceId, () -> ConfigRepoint.useCurrentConfig(engine, resourceId, operator));
    }

    /**
     * Blueprint types whose work is queued while no live taskmaster runs them (decision 45), with
     * how many tasks wait for one: that work waits, and {@code status} says which types to start.
     */
    public java.util.Map<String, Long> typesWithoutTaskmaster() {
        java.util.Map<String, Long> waiting = new java.util.TreeMap<>();
        for (dev.drydock.taskqueue.KindStats k : failures.call("read the queue", () -> queue().stats()).kinds()) {
            if (!k.handled() && k.queued() + k.running() > 0) {
                Tasks.typeOf(k.kind()).ifPresent(type -> waiting.merge(type, k.queued() + k.running(), Long::sum));
            }
        }
        return waiting;
    }

    /**
     * How many leases and resources are live now, by status, and each blueprint's limit: for gauges
     * read at every scrape. It reads only live rows through partial indexes and a row per blueprint,
     * never the history, so it stays as cheap at a million destroyed leases as at none.
     */
    public Census census() {
        return failures.call("count live leases and resources", () -> engine.jdbi().withHandle(dev.drydock.core.internal.store.CensusStore::read));
    }

    /**
     * Tells {@code listener} what this process's taskmasters do ({@link WorkEvent}), from now until
     * the returned {@link WorkEvent.Listening} is closed: after each change committed, on the worker
     * thread that made it, so it must be quick and thread-safe. One that throws is logged and the work
     * goes on. Work done by taskmasters in other processes is heard there, not here.
     */
    public WorkEvent.Listening listen(java.util.function.Consumer<WorkEvent> listener) {
        return engine.listeners().add(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Live leases by status, for {@code status}: only statuses some lease is in, and never
     * DESTROYED, which is history. Read through partial indexes, so it costs the same at a million
     * archived leases as at none.
     */
    public java.util.Map<LeaseStatus, Long> leaseCounts() {
        java.util.Map<LeaseStatus, Long> counts = new java.util.EnumMap<>(LeaseStatus.class);
        failures.run("count leases", () -> engine.jdbi().useHandle(h -> dev.drydock.core.internal.store.CensusStore.leases(h)
                .forEach((status, n) -> {
                    if (n > 0) {
                        counts.put(status, n);
                    }
                })));
        return counts;
    }

    /**
     * Batches of lease updates a taskmaster runs at once. Only one runs while it is quick (so
     * batches are as large as the load makes them); more start when the running ones take 50 ms or
     * longer, such as a blueprint step waiting on a slow host, so that one does not hold up every lease.
     */
    private static final int LEASE_BATCHES = 4;

    /**
     * The task queue under Drydock, for operators' status views. It is a library of its own: its
     * methods throw its own {@code TaskQueueException}, not Drydock's.
     */
    public TaskQueue queue() {
        return TaskQueue.builder(dataSource).build();
    }

    /**
     * A taskmaster that runs Drydock's work (and any handlers you add) with this instance's
     * blueprints; configure further and {@code build().start()} it. It runs the reapers of the
     * blueprints whose types are registered here ({@link #reapers()}); a blueprint of another type
     * is reaped by a taskmaster that has its type.
     */
    public Taskmaster.Builder taskmaster() {
        failures.run("start the janitors", () -> engine.jdbi().useTransaction(h -> {
            engine.tasks().startJanitor(h);
            engine.registry().types().forEach(type -> engine.tasks().startTypeJanitor(h, type));
        }));
        TaskHandler typeJanitor = BriefDatabaseFaults.handler(new TypeJanitor(engine));
        BatchTaskHandler leaseUpdater = BriefDatabaseFaults.batch(new LeaseUpdater(engine, analyzeYoungLeaseTable));
        TaskHandler resourceUpdater = BriefDatabaseFaults.handler(new ResourceUpdater(engine));
        TaskHandler reaper = BriefDatabaseFaults.handler(new ReapHandler(engine));
        TaskHandler planner = BriefDatabaseFaults.handler(new Planner(engine));
        Taskmaster.Builder builder = Taskmaster.builder(dataSource)
                .name("drydock")
                .batchHandler(Tasks.LEASE_UPDATE, LEASE_BATCHES, leaseUpdater)
                .batchHandler(Tasks.LEASE_CLEAN_UP, LEASE_BATCHES, leaseUpdater)
                // every lease transition writes its own log row; archiving the task that made it says nothing more
                .forgetSuccesses(Tasks.LEASE_UPDATE)
                .forgetSuccesses(Tasks.LEASE_CLEAN_UP)
                .handler(Tasks.RESOURCE_UPDATE, BriefDatabaseFaults.handler(ResourceUpdater.forwardingToTypes(engine)))
                .handler(Tasks.JANITOR, BriefDatabaseFaults.handler(new Janitor(engine)))
                .handler(Tasks.GANG_UPDATE, BriefDatabaseFaults.handler(new GangUpdater(engine)));
        // Work that needs a blueprint type's implementation is claimed only by taskmasters that have it (decision 45).
        for (String type : engine.registry().types()) {
            builder.handler(Tasks.resourceUpdateKind(type), resourceUpdater)
                    .batchHandler(Tasks.leaseUpdateKind(type), LEASE_BATCHES, leaseUpdater)
                    .forgetSuccesses(Tasks.leaseUpdateKind(type))
                    .handler(Tasks.reapKind(type), reaper)
                    .handler(Tasks.typeJanitorKind(type), typeJanitor)
                    .handler(Tasks.planKind(type), planner);
        }
        return builder;
    }

    /**
     * Stops listening for lease changes and closes the registered blueprint implementations
     * ({@link BlueprintImplementation#close()}); close the taskmasters built from this instance first.
     */
    @Override
    public void close() {
        events.close();
        engine.registry().closeAll();
    }

    /** Settings of a {@link Drydock}. */
    public static final class Builder {
        private final DataSource dataSource;
        private final List<BlueprintImplementation<?>> implementations = new ArrayList<>();
        private boolean migrate = true;
        private boolean analyzeYoungLeaseTable;
        private Duration stepRetryCap = StepRetry.DEFAULT.cap();
        private final java.util.Map<String, SecretResolver> secretSchemes = new java.util.LinkedHashMap<>();
        private final java.util.Map<String, ResourceScorer> scorers = new java.util.LinkedHashMap<>();

        private Builder(DataSource dataSource) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        }

        /** Makes a blueprint type available; stored blueprints of unregistered types are skipped with a reason. */
        public Builder register(BlueprintImplementation<?> implementation) {
            implementations.add(Objects.requireNonNull(implementation, "implementation"));
            return this;
        }

        /**
         * Whether taskmasters run {@code ANALYZE} on the lease table while it is young (up to about
         * 10,000 leases, each time it has doubled), so that a new database's first cached plans stop
         * reading it from end to end before autovacuum would analyze it. Default false: analyzing an
         * application's table is the operator's business; a benchmark that starts on an empty
         * database turns it on.
         */
        public Builder analyzeYoungLeaseTable(boolean analyze) {
            this.analyzeYoungLeaseTable = analyze;
            return this;
        }

        /**
         * Resolves secret references {@code SCHEME:...} with {@code resolver} (given the whole
         * reference), in blueprint steps and when a blueprint is created or updated;
         * {@code env:} and {@code file:} are built in. The resolver must be thread-safe and must
         * never put a value in an exception or a log line.
         *
         * @throws InvalidRequestException the scheme is not lower-case letters, digits, '+', '.' or
         *         '-' starting with a letter, or is taken (by a built-in one or an earlier call)
         */
        public Builder secretScheme(String scheme, SecretResolver resolver) {
            Objects.requireNonNull(resolver, "resolver");
            SecretSchemes.checkNew(scheme, secretSchemes.keySet());
            secretSchemes.put(scheme, resolver);
            return this;
        }

        /**
         * Makes a scorer available for blueprints' {@code placement} (beside the built-in
         * {@code binpack} and {@code spread}): a blueprint may name it once it is registered here,
         * and taskmasters built from this instance rank that blueprint's resources with it. A
         * taskmaster without it places such a blueprint's leases by {@code binpack}, with a warning.
         *
         * @throws InvalidRequestException its name is not lower-case letters, digits and '-'
         *         starting with a letter, or is taken (by a built-in scorer or an earlier call)
         */
        public Builder scorer(ResourceScorer scorer) {
            Scorers.checkNew(scorer, scorers.keySet());
            scorers.put(scorer.name(), scorer);
            return this;
        }

        /** Whether {@link #build()} migrates the schema first. Default true. */
        public Builder migrate(boolean migrate) {
            this.migrate = migrate;
            return this;
        }

        /**
         * The longest a failed blueprint step (a build, a destroy, preparing or cleaning up a lease)
         * waits before it is tried again; the waits double up to it from 200 ms. Default 1 minute.
         * Failed steps are tried again for as long as it takes, with the error in the row's status reason.
         */
        public Builder stepRetryCap(Duration cap) {
            Objects.requireNonNull(cap, "cap");
            if (cap.compareTo(StepRetry.DEFAULT.first()) < 0) {
                throw new dev.drydock.api.InvalidRequestException("stepRetryCap",
                        "must be at least " + StepRetry.DEFAULT.first().toMillis() + " ms, was " + cap.toMillis() + " ms; the default is 1 minute");
            }
            this.stepRetryCap = cap;
            return this;
        }

        public Drydock build() {
            if (migrate) {
                Drydock.migrate(dataSource);
            }
            Drydock drydock = new Drydock(dataSource, new BlueprintRegistry(implementations),
                    new StepRetry(StepRetry.DEFAULT.first(), stepRetryCap), new SecretSchemes(secretSchemes),
                    new Scorers(scorers.values()), analyzeYoungLeaseTable);
            log.info("drydock ready: blueprint types {}, secret schemes env, file{}, placement scorers {}", drydock.engine.registry().types(),
                    secretSchemes.keySet().stream().map(s -> ", " + s).collect(java.util.stream.Collectors.joining()),
                    drydock.engine.scorers().names());
            return drydock;
        }
    }
}
