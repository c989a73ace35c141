package dev.drydock.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.api.Lease;
import dev.drydock.api.LeaseRequest;
import dev.drydock.api.LeaseStatus;
import dev.drydock.api.ResourceInfo;
import dev.drydock.api.ResourceStatus;
import dev.drydock.testing.Await;
import dev.drydock.testing.LeakCheck;
import dev.drydock.testing.PostgresExtension;
import dev.drydock.testing.TestDatabase;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A blueprint at its limit reclaims an idle resource that cannot serve a waiting lease. */
@ExtendWith({PostgresExtension.class, LeakCheck.class})
class ReclaimTest {

    @Test
    void idleResourceOfTheWrongFlavorIsDestroyedToMakeRoom(TestDatabase db) {
        try (Drydock drydock = Drydock.builder(db.dataSource()).register(new FlavoredBlueprint()).build();
             var taskmaster = drydock.taskmaster().threads(4).pollInterval(Duration.ofMillis(200)).build().start()) {
            drydock.blueprints().create("boxes", "flavored", "{\"capacity\": 1}", 1);

            Lease vanilla = drydock.allocator().acquire(LeaseRequest.builder("flavored-box").attribute("flavor", "vanilla").build());
            long vanillaBox = vanilla.await(Duration.ofSeconds(30)).info().resourceId().orElseThrow();
            vanilla.release();
            Await.until("vanilla lease cleaned up", Duration.ofSeconds(30), () -> vanilla.info().status() == LeaseStatus.DESTROYED);

            Lease mint = drydock.allocator().acquire(LeaseRequest.builder("flavored-box").attribute("flavor", "mint").build());
            long mintBox = mint.await(Duration.ofSeconds(30)).info().resourceId().orElseThrow();

            assertThat(mintBox).isNotEqualTo(vanillaBox);
            ResourceInfo reclaimed = drydock.resources().stream().filter(r -> r.id() == vanillaBox).findFirst().orElseThrow();
            assertThat(reclaimed.status()).isEqualTo(ResourceStatus.DESTROYED);
            assertThat(drydock.logs(java.util.Optional.empty(), java.util.Optional.of(vanillaBox), java.util.Optional.empty(), 0, 100))
                    .anySatisfy(e -> assertThat(e.message()).contains("reclaimed while idle to make room for lease " + mint.id()));
            assertThat(drydock.blueprints().find("boxes").orElseThrow().resources()).as("never above the limit of 1").isEqualTo(1);
            mint.release();
            EngineCleanUp.destroyEverything(drydock);
        }
    }
}
