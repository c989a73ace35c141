package dev.drydock.core.internal.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.api.LeaseStatus;
import dev.drydock.core.Drydock;
import dev.drydock.testing.LeakCheck;
import dev.drydock.testing.PostgresExtension;
import dev.drydock.testing.TestDatabase;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The statements a batch of lease updates runs, each for every lease of the batch at once: the
 * lookup, taking lease slots and giving them back. What they return, and what the counts, statuses
 * and log rows are afterwards, read back from the database.
 */
@ExtendWith({PostgresExtension.class, LeakCheck.class})
@LeakCheck.Allowed(value = {LeakCheck.Leak.UNFINISHED_LEASES, LeakCheck.Leak.UNFINISHED_RESOURCES, LeakCheck.Leak.LEASE_COUNT,
        LeakCheck.Leak.RESOURCE_COUNT},
        reason = "tests the batch statements alone, on leases and resources it writes directly in the states each test needs")
class BatchStatementsTest {
    private TestDatabase db;
    private Jdbi jdbi;
    private long blueprint;

    @BeforeEach
    void setUp(TestDatabase db) {
        this.db = db;
        Drydock.builder(db.dataSource()).build().close(); // migrates
        this.jdbi = Jdbi.create(db.dataSource());
        String name = "capacity-" + System.nanoTime();
        this.blueprint = jdbi.withHandle(h -> h.createQuery("""
                        INSERT INTO dd_blueprint (name, type, resource_type, config, resource_limit)
                        VALUES (:name, 'local-host', 'host', '{}', 10) RETURNING id""")
                .bind("name", name).mapTo(Long.class).one());
    }

    @Test
    void theLookupFindsEachLeasesPlaceAndTheRoomForThePendingOnesBestFirst() {
        long full = resource(1, 1);
        long roomy = resource(4, 1);
        long fuller = resource(4, 3);
        long active = lease(LeaseStatus.ACTIVE, full);
        long pending = lease(LeaseStatus.PENDING, null);
        jdbi.useHandle(h -> h.execute("INSERT INTO dd_blueprint (name, type, resource_type, config, resource_limit)"
                + " VALUES ('other-" + System.nanoTime() + "', 'local-host', 'vm', '{}', 1)"));

        LeaseStore.Lookup lookup = jdbi.withHandle(h -> LeaseStore.lookUp(h, List.of(active, pending, -1L)));

        assertThat(lookup.situations()).containsOnlyKeys(active, pending);
        assertThat(lookup.situations().get(active).placed()).hasValueSatisfying(p -> {
            assertThat(p.resource().id()).isEqualTo(full);
            assertThat(p.blueprint().id()).isEqualTo(blueprint);
        });
        assertThat(lookup.situations().get(pending).placed()).isEmpty();
        assertThat(lookup.offers()).as("offers only for the types of pending leases").containsOnlyKeys("host");
        ResourceStore.Offers offers = lookup.offers().get("host");
        assertThat(offers.blueprints()).extracting(BlueprintRow::id).contains(blueprint); // the class's other tests add theirs
        assertThat(offers.withRoom().stream().filter(r -> r.blueprintId() == blueprint).map(ResourceRow::id))
                .as("fullest with room first; a full one not at all")
                .containsExactly(fuller, roomy);
        assertThat(offers).isEqualTo(jdbi.withHandle(h -> ResourceStore.offers(h, "host")));
    }

    @Test
    void theLookupRunsOneCachedPlanWhateverTheBatchsLength() {
        long resource = resource(64, 0);
        List<Long> leases = new java.util.ArrayList<>();
        for (int i = 0; i < 40; i++) {
            leases.add(lease(i % 2 == 0 ? LeaseStatus.PENDING : LeaseStatus.ACTIVE, i % 2 == 0 ? null : resource));
        }
        jdbi.useHandle(h -> h.execute("ANALYZE dd_lease"));

        // One connection, as a taskmaster's worker runs batch after batch: lone leases while it is
        // quiet, then busier batches of all sizes.
        Map<String, Long> plans = jdbi.withHandle(h -> {
            for (int i = 0; i < 40; i++) {
                LeaseStore.lookUp(h, i < 10 || i % 2 == 0 ? leases.subList(0, 1) : leases.subList(0, 16 + i % 7));
            }
            return h.createQuery("SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE statement LIKE 'WITH s AS (%'")
                    .map((rs, ctx) -> Map.of("generic", rs.getLong(1), "custom", rs.getLong(2))).one();
        });

        // The driver prepares it on the server from its fifth execution; the server plans it for the
        // values of its first five there, then keeps the generic plan only if it costs no more.
        assertThat(plans.get("custom")).as("batches planned for their values").isLessThanOrEqualTo(5);
        assertThat(plans.get("generic")).as("batches run on the cached generic plan").isGreaterThanOrEqualTo(20);
    }

    @Test
    void aResourceTakesAllOfABatchsLeasesOnItOrNone() {
        long resource = resource(2, 1);
        long first = lease(LeaseStatus.PENDING, null);
        long second = lease(LeaseStatus.PENDING, null);

        List<LeaseCapacity.Taken> both = jdbi.withHandle(h -> LeaseCapacity.takeAll(h, List.of(
                new LeaseCapacity.Placement(first, resource, "r1"), new LeaseCapacity.Placement(second, resource, "r2"))));

        assertThat(both).allMatch(t -> t instanceof LeaseCapacity.Taken.Full);
        assertThat(activeLeases(resource)).as("one slot free, two asked for: nothing taken").isEqualTo(1);
        assertThat(status(first)).isEqualTo("PENDING");
        assertThat(status(second)).isEqualTo("PENDING");

        List<LeaseCapacity.Taken> one = jdbi.withHandle(h -> LeaseCapacity.takeAll(h, List.of(
                new LeaseCapacity.Placement(second, resource, "room for one"))));

        assertThat(one.get(0)).isInstanceOfSatisfying(LeaseCapacity.Taken.OnResource.class,
                on -> assertThat(on.resource().activeLeases()).isEqualTo(2));
        assertThat(activeLeases(resource)).isEqualTo(2);
        assertThat(status(second)).isEqualTo("ACQUIRED");
        assertThat(db.queryLong("SELECT resource_id FROM dd_lease WHERE id = " + second)).isEqualTo(resource);
        assertThat(db.queryLong("SELECT count(*) FROM dd_log WHERE lease_id = " + second
                + " AND message = 'lease " + second + " PENDING -> ACQUIRED: room for one'")).isEqualTo(1);
    }

    @Test
    void aBatchSpreadOverResourcesTakesWhereThereIsRoomAndReportsALeaseThatMovedOn() {
        long roomy = resource(4, 0);
        long full = resource(1, 1);
        long a = lease(LeaseStatus.PENDING, null);
        long b = lease(LeaseStatus.PENDING, null);
        long released = lease(LeaseStatus.RELEASED, null);

        List<LeaseCapacity.Taken> taken = jdbi.withHandle(h -> LeaseCapacity.takeAll(h, List.of(
                new LeaseCapacity.Placement(a, roomy, "a"), new LeaseCapacity.Placement(b, full, "b"),
                new LeaseCapacity.Placement(released, roomy, "c"))));

        assertThat(taken.get(0)).isInstanceOf(LeaseCapacity.Taken.OnResource.class);
        assertThat(taken.get(1)).isInstanceOf(LeaseCapacity.Taken.Full.class);
        assertThat(taken.get(2)).isInstanceOf(LeaseCapacity.Taken.LeaseMoved.class);
        assertThat(activeLeases(roomy)).as("only the pending lease counted").isEqualTo(1);
        assertThat(activeLeases(full)).isEqualTo(1);
        assertThat(status(released)).isEqualTo("RELEASED");
    }

    @Test
    void takingAndActivatingAtOnceMakesLeasesActiveWithBothTransitionsLoggedAndTheirHoldersNotified() throws Exception {
        long roomy = resource(4, 0);
        long full = resource(1, 1);
        long a = lease(LeaseStatus.PENDING, null);
        long b = lease(LeaseStatus.PENDING, null);
        long released = lease(LeaseStatus.RELEASED, null);
        db.queryLong("WITH u AS (UPDATE dd_lease SET ttl_ms = 60000 WHERE id = " + a + " RETURNING 1) SELECT count(*) FROM u");

        try (Connection listener = db.connect(); Statement listen = listener.createStatement()) {
            listen.execute("LISTEN " + LeaseStore.CHANNEL);
            List<LeaseCapacity.Taken> taken = jdbi.withHandle(h -> LeaseCapacity.takeAndActivateAll(h, List.of(
                    new LeaseCapacity.Activated(new LeaseCapacity.Placement(a, roomy, "on roomy"), Map.of("directory", "/a"),
                            List.of("directory /a made")),
                    new LeaseCapacity.Activated(new LeaseCapacity.Placement(b, full, "on full"), Map.of(), List.of()),
                    new LeaseCapacity.Activated(new LeaseCapacity.Placement(released, roomy, "too late"), Map.of(), List.of()))));

            assertThat(taken.get(0)).isInstanceOfSatisfying(LeaseCapacity.Taken.OnResource.class,
                    on -> assertThat(on.resource().activeLeases()).isEqualTo(1));
            assertThat(taken.get(1)).isInstanceOf(LeaseCapacity.Taken.Full.class);
            assertThat(taken.get(2)).isInstanceOf(LeaseCapacity.Taken.LeaseMoved.class);
            listen.execute("SELECT 1"); // delivers what was notified meanwhile
            PGNotification[] notifications = listener.unwrap(PGConnection.class).getNotifications();
            assertThat(notifications).extracting(PGNotification::getParameter).containsExactly(a + ":ACTIVE");
        }
        assertThat(activeLeases(roomy)).isEqualTo(1);
        assertThat(activeLeases(full)).isEqualTo(1);
        assertThat(status(a)).isEqualTo("ACTIVE");
        assertThat(db.queryLong("SELECT count(*) FROM dd_lease WHERE id = " + a + " AND resource_id = " + roomy
                + " AND activated_at IS NOT NULL AND expires_at > activated_at AND lease_attributes->>'directory' = '/a'")).isEqualTo(1);
        List<String> lines = jdbi.withHandle(h -> h.createQuery("SELECT message FROM dd_log WHERE lease_id = :id ORDER BY id")
                .bind("id", a).mapTo(String.class).list());
        assertThat(lines).containsExactly("lease " + a + " PENDING -> ACQUIRED: on roomy", "directory /a made",
                "lease " + a + " ACQUIRED -> ACTIVE: active on resource " + roomy);
        assertThat(status(b)).isEqualTo("PENDING");
        assertThat(status(released)).isEqualTo("RELEASED");
        assertThat(db.queryLong("SELECT count(*) FROM dd_log WHERE lease_id IN (" + b + ", " + released + ")")).isZero();
    }

    @Test
    void givingBackSeveralLeasesCountsEachResourceOnceAndFindsTheWaiters() {
        long r1 = resource(4, 2);
        long r2 = resource(4, 1);
        long x = lease(LeaseStatus.RELEASED, r1);
        long y = lease(LeaseStatus.BROKEN, r1);
        long z = lease(LeaseStatus.RELEASED, r2);
        long stale = lease(LeaseStatus.DESTROYED, r2); // already cleaned up by someone else
        long waiting = lease(LeaseStatus.PENDING, null);
        db.queryLong("WITH u AS (UPDATE dd_lease SET waits = 3 WHERE id = " + waiting + " RETURNING 1) SELECT count(*) FROM u");

        LeaseCapacity.GivenBack given = jdbi.withHandle(h -> LeaseCapacity.giveBack(h, List.of(
                        new LeaseCapacity.Return(x, LeaseStatus.RELEASED, "done x", Map.of("k", "v"), List.of("blueprint said x")),
                        new LeaseCapacity.Return(y, LeaseStatus.BROKEN, "done y", Map.of(), List.of()),
                        new LeaseCapacity.Return(z, LeaseStatus.RELEASED, "done z", Map.of(), List.of()),
                        new LeaseCapacity.Return(stale, LeaseStatus.RELEASED, "too late", Map.of(), List.of())),
                Map.of(r2, Map.of("cleaned", "yes")), List.of("host"), 8));

        assertThat(given.moved()).containsExactlyInAnyOrder(x, y, z);
        assertThat(given.leftOnResource()).isEqualTo(Map.of(r1, 0, r2, 0));
        assertThat(given.waiting()).contains(waiting);
        assertThat(activeLeases(r1)).isZero();
        assertThat(activeLeases(r2)).isZero();
        assertThat(db.queryLong("SELECT count(*) FROM dd_resource WHERE idle_since IS NOT NULL AND id IN (" + r1 + ", " + r2 + ")"))
                .isEqualTo(2);
        assertThat(db.queryLong("SELECT count(*) FROM dd_resource WHERE attributes->>'cleaned' = 'yes' AND id = " + r2)).isEqualTo(1);
        assertThat(status(x)).isEqualTo("DESTROYED");
        assertThat(db.queryLong("SELECT count(*) FROM dd_lease WHERE lease_attributes->>'k' = 'v' AND id = " + x)).isEqualTo(1);
        // the blueprint's line first, then the transition's own
        List<String> lines = jdbi.withHandle(h -> h.createQuery("SELECT message FROM dd_log WHERE lease_id = :id ORDER BY id")
                .bind("id", x).mapTo(String.class).list());
        assertThat(lines).containsExactly("blueprint said x", "lease " + x + " RELEASED -> DESTROYED: done x");
        assertThat(db.queryLong("SELECT count(*) FROM dd_log WHERE lease_id = " + stale)).isZero();
    }

    @Test
    void givingBackRunsOneCachedPlanWhateverTheBatchsLength() {
        long resource = resource(1_000, 0);
        List<Long> leases = new java.util.ArrayList<>();
        for (int i = 0; i < 200; i++) {
            leases.add(lease(LeaseStatus.RELEASED, resource));
        }
        db.queryLong("WITH u AS (UPDATE dd_resource SET active_leases = 200 WHERE id = " + resource + " RETURNING 1) SELECT count(*) FROM u");
        // a crowd waiting for room, as under load: the statement also finds the first few of them
        db.queryLong("""
                WITH w AS (INSERT INTO dd_lease (owner_token, resource_type, status, status_reason, acquire_deadline, waits)
                           SELECT 'token', 'host', 'PENDING', 'test', now() + interval '1 hour', 1 FROM generate_series(1, 5000)
                           RETURNING 1)
                SELECT count(*) FROM w""");
        jdbi.useHandle(h -> h.execute("ANALYZE dd_lease"));

        // One connection, as a taskmaster's worker cleans up batch after batch of all lengths.
        Map<String, Long> plans = jdbi.withHandle(h -> {
            int next = 0;
            for (int i = 0; i < 30; i++) {
                int length = i < 10 ? 1 : 1 + i % 9;
                List<LeaseCapacity.Return> returns = leases.subList(next, next + length).stream()
                        .map(id -> new LeaseCapacity.Return(id, LeaseStatus.RELEASED, "done", Map.of(), List.of()))
                        .toList();
                next += length;
                LeaseCapacity.giveBack(h, returns, Map.of(), List.of("host"), 8);
            }
            return h.createQuery("SELECT generic_plans, custom_plans FROM pg_prepared_statements"
                            + " WHERE statement LIKE '%UPDATE dd_lease SET status = ''DESTROYED''%'")
                    .map((rs, ctx) -> Map.of("generic", rs.getLong(1), "custom", rs.getLong(2))).one();
        });

        assertThat(activeLeases(resource)).as("every lease given back once").isEqualTo(200 - leases.stream()
                .filter(id -> "DESTROYED".equals(status(id))).count());
        assertThat(plans.get("custom")).as("batches planned for their values").isLessThanOrEqualTo(5);
        assertThat(plans.get("generic")).as("batches run on the cached generic plan").isGreaterThanOrEqualTo(20);
    }

    private long resource(int capacity, int activeLeases) {
        return jdbi.withHandle(h -> h.createQuery("""
                        INSERT INTO dd_resource (blueprint_id, resource_type, status, status_reason, capacity, active_leases)
                        VALUES (:b, 'host', 'ACTIVE', 'test', :capacity, :active) RETURNING id""")
                .bind("b", blueprint).bind("capacity", capacity).bind("active", activeLeases).mapTo(Long.class).one());
    }

    private long lease(LeaseStatus status, Long resourceId) {
        return jdbi.withHandle(h -> h.createQuery("""
                        INSERT INTO dd_lease (owner_token, resource_type, status, status_reason, acquire_deadline, resource_id)
                        VALUES ('token', 'host', :status, 'test', now() + interval '1 hour', :resource) RETURNING id""")
                .bind("status", status.name()).bind("resource", resourceId).mapTo(Long.class).one());
    }

    private long activeLeases(long resource) {
        return db.queryLong("SELECT active_leases FROM dd_resource WHERE id = " + resource);
    }

    private String status(long lease) {
        return jdbi.withHandle(h -> h.createQuery("SELECT status FROM dd_lease WHERE id = :id").bind("id", lease).mapTo(String.class).one());
    }
}
