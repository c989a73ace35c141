package dev.drydock.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drydock.api.Lease;
import dev.drydock.api.LeaseBrokenException;
import dev.drydock.api.LeaseRequest;
import dev.drydock.api.LeaseStatus;
import dev.drydock.api.spi.ConfigProblem;
import dev.drydock.api.spi.Decision;
import dev.drydock.api.spi.LeaseContext;
import dev.drydock.api.spi.Progress;
import dev.drydock.api.spi.ResourceContext;
import dev.drydock.api.spi.SubLease;
import dev.drydock.taskqueue.Taskmaster;
import dev.drydock.testing.Await;
import dev.drydock.testing.LeakCheck;
import dev.drydock.testing.PostgresExtension;
import dev.drydock.testing.TestDatabase;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Sub-leases a resource takes for one of its leases (in acquireLease, migration V14): the lease's
 * step is woken when its sub-lease is ready; a sub-lease that breaks fails that lease alone, and
 * one released under an ACTIVE lease breaks that lease alone, while the resource goes on serving
 * its other leases; releasing the lease gives its sub-lease back.
 */
@ExtendWith({PostgresExtension.class, LeakCheck.class})
class PerLeaseSubLeaseTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void aLeaseIsWokenByItsOwnSubLeaseAndReleasingItGivesTheSubLeaseBack(TestDatabase db) {
        try (Drydock drydock = TestDrydocks.with(db, new Plates("plate"), new Serving("plate")); Taskmaster tm = TestDrydocks.taskmaster(drydock, 8)) {
            drydock.blueprints().create("plates", "plates-of-plate", "{\"capacity\": 4}", 1);
            drydock.blueprints().create("servings", "serving-plate", "{\"capacity\": 4}", 1);

            Lease lease = drydock.allocator().acquire(LeaseRequest.builder("serving").build());
            lease.await(WAIT); // its step said to wait 10 minutes: only the sub-lease's activation brings it back sooner
            long sub = db.queryLong("SELECT id FROM dd_lease WHERE for_lease_id = " + lease.id());
            assertThat(db.queryLong("SELECT count(*) FROM dd_lease WHERE id = " + sub + " AND status = 'ACTIVE'"
                    + " AND owner_resource_id = " + lease.info().resourceId().orElseThrow())).isEqualTo(1);

            lease.release();
            Await.until("its sub-lease is given back and cleaned up", WAIT,
                    () -> db.queryLong("SELECT count(*) FROM dd_lease WHERE status = 'DESTROYED' AND id = " + sub) == 1);
            EngineCleanUp.destroyEverything(drydock);
        }
    }

    @Test
    void aSubLeaseThatBreaksFailsItsLeaseAloneAndTheResourceServesOn(TestDatabase db) {
        try (Drydock drydock = TestDrydocks.with(db, new Plates("dish"), new Serving("dish")); Taskmaster tm = TestDrydocks.taskmaster(drydock, 8)) {
            drydock.blueprints().create("dishes", "plates-of-dish", "{\"capacity\": 4}", 1);
            drydock.blueprints().create("dish-servings", "serving-dish", "{\"capacity\": 4}", 1);
            Lease good = drydock.allocator().acquire(LeaseRequest.builder("serving").build());
            long resource = good.await(WAIT).info().resourceId().orElseThrow();

            Lease doomed = drydock.allocator().acquire(LeaseRequest.builder("serving").attribute(Serving.BASE, "no-such-type").build());
            assertThatThrownBy(() -> doomed.await(WAIT)).isInstanceOf(LeaseBrokenException.class)
                    .hasMessageContaining("its sub-lease broke")
                    .hasMessageContaining("no blueprint builds resources of type 'no-such-type'");
            assertThat(drydock.resources().stream().filter(r -> r.id() == resource).findFirst().orElseThrow().status().name())
                    .as("the shared resource does not break with one lease's sub-lease").isEqualTo("ACTIVE");
            assertThat(good.info().status()).isEqualTo(LeaseStatus.ACTIVE);
            try (Lease another = drydock.allocator().acquire(LeaseRequest.builder("serving").build())) {
                assertThat(another.await(WAIT).info().resourceId()).contains(resource);
            }
            good.release();
            EngineCleanUp.destroyEverything(drydock);
        }
    }

    @Test
    void anActiveLeaseWhoseSubLeaseIsReleasedByAnOperatorBreaksNamingTheChain(TestDatabase db) {
        try (Drydock drydock = TestDrydocks.with(db, new Plates("bowl"), new Serving("bowl")); Taskmaster tm = TestDrydocks.taskmaster(drydock, 8)) {
            drydock.blueprints().create("bowls", "plates-of-bowl", "{\"capacity\": 4}", 1);
            drydock.blueprints().create("bowl-servings", "serving-bowl", "{\"capacity\": 4}", 1);
            Lease first = drydock.allocator().acquire(LeaseRequest.builder("serving").build());
            Lease second = drydock.allocator().acquire(LeaseRequest.builder("serving").build());
            long resource = first.await(WAIT).info().resourceId().orElseThrow();
            second.await(WAIT);
            long sub = db.queryLong("SELECT id FROM dd_lease WHERE for_lease_id = " + first.id());

            drydock.releaseLease(sub, "an operator needed the plate");
            Await.until("the lease it served breaks", WAIT, () -> first.info().status() == LeaseStatus.BROKEN
                    || first.info().status() == LeaseStatus.DESTROYED);
            assertThat(first.info().statusReason()).contains("its sub-lease 'for-" + first.id() + "' (lease " + sub + ") was released");
            assertThat(second.info().status()).as("the resource's other lease").isEqualTo(LeaseStatus.ACTIVE);
            assertThat(drydock.resources().stream().filter(r -> r.id() == resource).findFirst().orElseThrow().status().name())
                    .isEqualTo("ACTIVE");
            second.release();
            EngineCleanUp.destroyEverything(drydock);
        }
    }

    /** The base: resources of {@code resourceType} that hold leases and do nothing. */
    private static final class Plates extends CapacityBlueprint {
        Plates(String resourceType) {
            super("plates-of-" + resourceType, resourceType);
        }

        @Override
        public Progress acquireLease(Config config, ResourceContext resource, LeaseContext lease) {
            return Progress.done();
        }
    }

    /**
     * Resources that take, for each lease, a sub-lease of the base type (or of the lease's
     * attribute {@code base}), waiting for it far longer than any test.
     */
    private static final class Serving extends InertBlueprint<Serving.Config> {
        static final String BASE = "base";
        private static final Duration PATIENCE = Duration.ofMinutes(10);

        record Config(int capacity) {}

        private final String baseType;

        Serving(String baseType) {
            this.baseType = baseType;
        }

        @Override
        public String type() {
            return "serving-" + baseType;
        }

        @Override
        public String resourceType() {
            return "serving";
        }

        @Override
        public Class<Config> configType() {
            return Config.class;
        }

        @Override
        public List<ConfigProblem> validate(Config config) {
            return List.of();
        }

        @Override
        public int capacity(Config config) {
            return config.capacity();
        }

        @Override
        public Decision meetsAttributes(Config config, Map<String, String> requested) {
            return Decision.yes();
        }

        @Override
        public Progress acquireLease(Config config, ResourceContext resource, LeaseContext lease) {
            String type = lease.lease().attributes().getOrDefault(BASE, baseType);
            SubLease sub = resource.lease("for-" + lease.lease().id(), LeaseRequest.builder(type).build());
            return switch (sub.status()) {
                case ACTIVE -> Progress.done();
                case BROKEN, RELEASED, DESTROYED -> Progress.failed("its sub-lease broke: " + sub.statusReason());
                default -> Progress.checkAgainIn(PATIENCE, "its sub-lease " + sub.id() + ": " + sub.statusReason());
            };
        }

        @Override
        public void releaseLease(Config config, ResourceContext resource, LeaseContext lease) {
            resource.releaseSubLease("for-" + lease.lease().id());
        }
    }
}
