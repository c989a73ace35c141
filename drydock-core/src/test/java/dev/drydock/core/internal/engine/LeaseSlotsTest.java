package dev.drydock.core.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drydock.api.InvalidRequestException;
import dev.drydock.api.LeaseStatus;
import dev.drydock.core.Drydock;
import dev.drydock.core.internal.store.LeaseCapacity;
import dev.drydock.core.internal.store.ResourceStore;
import dev.drydock.testing.LeakCheck;
import dev.drydock.testing.PostgresExtension;
import dev.drydock.testing.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Lease slots ({@code LeaseContext.takeSlot}) on rows written directly: exclusive among the leases
 * of one resource, the same one again for a retried step, only for a lease that holds its share,
 * never in another namespace's way, and freed by the lease's clean-up.
 */
@ExtendWith({PostgresExtension.class, LeakCheck.class})
@LeakCheck.Allowed(value = {LeakCheck.Leak.UNFINISHED_LEASES, LeakCheck.Leak.UNFINISHED_RESOURCES, LeakCheck.Leak.LEASE_COUNT,
        LeakCheck.Leak.RESOURCE_COUNT},
        reason = "takes slots for leases and resources it writes directly in the states each test needs")
class LeaseSlotsTest {
    private static final List<String> PORTS = List.of("8080", "8081");
    private TestDatabase db;
    private Jdbi jdbi;
    private LeaseSlots slots;
    private long blueprint;

    @BeforeEach
    void setUp(TestDatabase db) {
        this.db = db;
        Drydock.builder(db.dataSource()).build().close(); // migrates
        jdbi = Jdbi.create(db.dataSource());
        slots = new LeaseSlots(jdbi);
        blueprint = jdbi.withHandle(h -> h.createQuery("""
                        INSERT INTO dd_blueprint (name, type, resource_type, config, resource_limit)
                        VALUES (:name, 'webroot', 'webroot', '{}', 10) RETURNING id""")
                .bind("name", "web-" + System.nanoTime()).mapTo(Long.class).one());
    }

    @Test
    void eachLeaseOfAResourceGetsItsOwnSlotAndTheSameOneWhenItAsksAgain() {
        long resource = resource();
        long first = lease(LeaseStatus.ACQUIRED, resource);
        long second = lease(LeaseStatus.ACQUIRED, resource);
        long third = lease(LeaseStatus.ACQUIRED, resource);

        assertThat(slots.take(resource, first, "port", PORTS)).contains("8080");
        assertThat(slots.take(resource, second, "port", PORTS)).contains("8081");
        assertThat(slots.take(resource, third, "port", PORTS)).as("every port held by another lease").isEmpty();
        assertThat(slots.take(resource, first, "port", List.of("9000"))).as("a retried step: the one it holds").contains("8080");
        assertThat(slots.take(resource, third, "admin-port", PORTS)).as("another group").contains("8080");
        long elsewhere = resource();
        assertThat(slots.take(elsewhere, lease(LeaseStatus.ACQUIRED, elsewhere), "port", PORTS)).as("another resource").contains("8080");
        assertThat(db.queryLong("SELECT count(*) FROM dd_log WHERE lease_id = " + first + " AND message = 'lease " + first
                + " took slot port=8080 of resource " + resource + "'")).as("logged when taken, not when asked again").isEqualTo(1);
    }

    @Test
    void onlyALeaseThatHoldsItsShareOfTheResourceTakesOne() {
        long resource = resource();
        long pending = lease(LeaseStatus.PENDING, null);
        long released = lease(LeaseStatus.RELEASED, resource);
        long onAnother = lease(LeaseStatus.ACQUIRED, resource());

        assertThat(slots.take(resource, pending, "port", PORTS)).as("acquiring ahead: no share yet").isEmpty();
        assertThat(slots.take(resource, released, "port", PORTS)).as("released meanwhile").isEmpty();
        assertThat(slots.take(resource, onAnother, "port", PORTS)).as("on another resource").isEmpty();
        assertThat(db.queryLong("SELECT count(*) FROM dd_slot_lock WHERE owner_lease_id IN (" + pending + ", " + released + ", "
                + onAnother + ")")).isZero();
    }

    @Test
    void leaseSlotsAndABlueprintsResourceSlotsNeverCollide() {
        long resource = resource();
        String sameName = "port:8080";
        Optional<String> resourceSlot = jdbi.withHandle(h -> ResourceStore.claimSlot(h, blueprint, resource, List.of(sameName)));
        long lease = lease(LeaseStatus.ACQUIRED, resource);

        assertThat(resourceSlot).contains(sameName);
        assertThat(slots.take(resource, lease, "port", List.of(sameName))).contains(sameName);
        assertThat(slots.take(resource, lease(LeaseStatus.ACQUIRED, resource), "port", List.of("8080")))
                .as("group 'port' and slot '8080' are not slot 'port:8080'").contains("8080");
    }

    @Test
    void leasesRacingForTheSameSlotsEachGetADifferentOne() {
        long resource = resource();
        int n = 8;
        List<Long> leases = IntStream.range(0, n).mapToObj(i -> lease(LeaseStatus.ACQUIRED, resource)).toList();
        List<String> choices = IntStream.range(0, n).mapToObj(i -> "slot-" + i).toList();
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<Optional<String>>> taken = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(n)) {
            for (long lease : leases) {
                taken.add(CompletableFuture.supplyAsync(() -> {
                    await(go);
                    return slots.take(resource, lease, "port", choices); // all want slot-0 first
                }, pool));
            }
            go.countDown();
        }
        assertThat(taken.stream().map(CompletableFuture::join).toList()).as("a lost race tries the next free one")
                .allSatisfy(slot -> assertThat(slot).isPresent())
                .extracting(Optional::get).containsExactlyInAnyOrderElementsOf(choices);
    }

    @Test
    void theLeasesCleanUpFreesItsSlotsForTheNextLease() {
        long resource = resource(1);
        long released = lease(LeaseStatus.ACQUIRED, resource);
        slots.take(resource, released, "port", PORTS);
        slots.take(resource, released, "admin-port", PORTS);
        jdbi.useHandle(h -> h.execute("UPDATE dd_lease SET status = 'RELEASED' WHERE id = ?", released));

        jdbi.useHandle(h -> LeaseCapacity.giveBack(h, List.of(new LeaseCapacity.Return(released, LeaseStatus.RELEASED, "released", Map.of(),
                List.of())), Map.of(), List.of("webroot"), 8));

        assertThat(db.queryLong("SELECT count(*) FROM dd_slot_lock WHERE owner_lease_id = " + released)).as("freed with DESTROYED").isZero();
        assertThat(slots.take(resource, lease(LeaseStatus.ACQUIRED, resource), "port", PORTS)).contains("8080");
    }

    @Test
    void aBadGroupOrChoiceIsRefusedNamingIt() {
        long resource = resource();
        long lease = lease(LeaseStatus.ACQUIRED, resource);

        assertThatThrownBy(() -> slots.take(resource, lease, "port:http", PORTS)).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("group");
        assertThatThrownBy(() -> slots.take(resource, lease, "port", List.of())).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("choices");
        assertThatThrownBy(() -> slots.take(resource, lease, "port", List.of("8080", " "))).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("choices[1]");
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private long resource() {
        return resource(0);
    }

    private long resource(int activeLeases) {
        return jdbi.withHandle(h -> h.createQuery("""
                        INSERT INTO dd_resource (blueprint_id, resource_type, status, status_reason, capacity, active_leases)
                        VALUES (:b, 'webroot', 'ACTIVE', 'test', 100, :active) RETURNING id""")
                .bind("b", blueprint).bind("active", activeLeases).mapTo(Long.class).one());
    }

    private long lease(LeaseStatus status, Long resourceId) {
        return jdbi.withHandle(h -> h.createQuery("""
                        INSERT INTO dd_lease (owner_token, resource_type, status, status_reason, acquire_deadline, resource_id)
                        VALUES ('token', 'webroot', :status, 'test', now() + interval '1 hour', :resource) RETURNING id""")
                .bind("status", status.name()).bind("resource", resourceId).mapTo(Long.class).one());
    }
}
