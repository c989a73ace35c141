package dev.drydock.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.drydock.api.InvalidRequestException;
import dev.drydock.api.Lease;
import dev.drydock.api.LeaseBrokenException;
import dev.drydock.api.LeaseRequest;
import dev.drydock.api.LeaseStatus;
import dev.drydock.api.spi.LeaseContext;
import dev.drydock.api.spi.Progress;
import dev.drydock.api.spi.ResourceContext;
import dev.drydock.testing.Await;
import dev.drydock.testing.LeakCheck;
import dev.drydock.testing.PostgresExtension;
import dev.drydock.testing.TestDatabase;
import java.time.Duration;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A lease placed on one resource ({@link LeaseRequest#ON_RESOURCE}) goes there or nowhere: it
 * shares that resource with others, waits for room on it rather than building another, and breaks,
 * saying why, when that resource cannot take it.
 */
@ExtendWith({PostgresExtension.class, LeakCheck.class})
class OnResourceTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void aPinnedLeaseWaitsForRoomOnItsResourceInsteadOfBuildingAnother(TestDatabase db) {
        try (Drydock drydock = Drydock.builder(db.dataSource()).register(new Boxes("box")).build();
             var taskmaster = drydock.taskmaster().threads(4).pollInterval(Duration.ofMillis(200)).build().start()) {
            drydock.blueprints().create("boxes", "pinned-box", "{\"capacity\": 2}", 5);
            Lease first = drydock.allocator().acquire(LeaseRequest.builder("box").build());
            long box = first.await(WAIT).info().resourceId().orElseThrow();

            Lease beside = drydock.allocator().acquire(LeaseRequest.builder("box").onResource(box).build());
            assertThat(beside.await(WAIT).info().resourceId()).as("placed beside the first").contains(box);

            Lease third = drydock.allocator().acquire(LeaseRequest.builder("box").onResource(box).build());
            Await.until("the third lease waits for room on resource " + box, WAIT,
                    () -> third.info().statusReason().contains("waiting for room on resource " + box));
            assertThat(third.info().status()).isEqualTo(LeaseStatus.PENDING);
            assertThat(resourcesBuilt(db, "box")).as("nothing built for a pinned lease, though the limit allows 5").isEqualTo(1);

            first.release();
            assertThat(third.await(WAIT).info().resourceId()).as("the freed room goes to the pinned lease").contains(box);
            assertThat(resourcesBuilt(db, "box")).isEqualTo(1);
            beside.release();
            third.release();
            EngineCleanUp.destroyEverything(drydock);
        }
    }

    @Test
    void aPinnedLeaseBreaksWhenItsResourceCannotTakeIt(TestDatabase db) {
        try (Drydock drydock = Drydock.builder(db.dataSource()).register(new Boxes("crate")).build();
             var taskmaster = drydock.taskmaster().threads(2).pollInterval(Duration.ofMillis(200)).build().start()) {
            drydock.blueprints().create("crates", "pinned-crate", "{\"capacity\": 1}", 2);

            Lease nowhere = drydock.allocator().acquire(LeaseRequest.builder("crate").onResource(987_654).build());
            assertThat(awaitBroken(nowhere)).contains("it must be placed on resource 987654, and there is no such resource");

            Lease first = drydock.allocator().acquire(LeaseRequest.builder("crate").build());
            long box = first.await(WAIT).info().resourceId().orElseThrow();
            first.release();
            EngineCleanUp.destroyEverything(drydock);

            Lease late = drydock.allocator().acquire(LeaseRequest.builder("crate").onResource(box).build());
            assertThat(awaitBroken(late)).contains("it must be placed on resource " + box + ", which is DESTROYED");
            assertThat(resourcesBuilt(db, "crate")).as("nothing built for the pinned leases").isEqualTo(1);
        }
    }

    @Test
    void onlyAResourceIdCanPinALease() {
        assertThatThrownBy(() -> LeaseRequest.builder("crate").attribute(LeaseRequest.ON_RESOURCE, "the big one").build())
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("attributes.drydock.resource").hasMessageContaining("must be a resource id");
        assertThatThrownBy(() -> LeaseRequest.builder("crate").onResource(0))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("must be a resource id");
    }

    /** Why the lease broke, as its holder learns it (it may be cleaned up before anyone looks). */
    private static String awaitBroken(Lease lease) {
        Throwable broken = catchThrowable(() -> lease.await(WAIT));
        assertThat(broken).isInstanceOf(LeaseBrokenException.class);
        return broken.getMessage();
    }

    private static int resourcesBuilt(TestDatabase db, String resourceType) {
        return Jdbi.create(db.dataSource()).withHandle(h -> h.createQuery("SELECT count(*) FROM dd_resource WHERE resource_type = :t")
                .bind("t", resourceType).mapTo(Integer.class).one());
    }

    /** Boxes that declare no attributes: a pinned lease is served only if the pin is the engine's alone. */
    private static final class Boxes extends CapacityBlueprint {
        Boxes(String resourceType) {
            super("pinned-" + resourceType, resourceType);
        }

        @Override
        public Progress acquireLease(Config config, ResourceContext resource, LeaseContext lease) {
            return Progress.done();
        }
    }
}
