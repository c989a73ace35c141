package dev.drydock.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.api.Lease;
import dev.drydock.api.LeaseBrokenException;
import dev.drydock.api.LeaseInfo;
import dev.drydock.api.LeaseRequest;
import dev.drydock.api.LeaseStatus;
import dev.drydock.testing.Await;
import dev.drydock.testing.LeakCheck;
import dev.drydock.testing.PostgresExtension;
import dev.drydock.testing.TestDatabase;
import java.time.Duration;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** One resource per pool host, and what happens when a host stops answering. */
@ExtendWith({PostgresExtension.class, LeakCheck.class})
class PoolTest {

    @Test
    void eachHostServesOneResourceAndADeadHostsLeasesBreakWhileOthersServeNewOnes(TestDatabase db) {
        PooledBlueprint.DOWN.clear();
        try (Drydock drydock = Drydock.builder(db.dataSource()).register(new PooledBlueprint()).build();
             var taskmaster = drydock.taskmaster().threads(8).pollInterval(Duration.ofMillis(200)).build().start()) {
            drydock.blueprints().create("pool", "pooled", "{\"hosts\": [\"alpha\", \"beta\"], \"capacity\": 1}", 10);
            Lease first = acquire(drydock).await(Duration.ofSeconds(30));
            Lease second = acquire(drydock).await(Duration.ofSeconds(30));
            Lease third = acquire(drydock);

            Await.until("third lease waits naming the slots", Duration.ofSeconds(30),
                    () -> third.info().statusReason().contains("every one of its 2 slots (hosts) is in use"));
            assertThat(drydock.resources()).hasSize(2).extracting(r -> r.attributes().get("drydock.slot"))
                    .containsExactlyInAnyOrder("alpha", "beta");

            long alphaResource = drydock.resources().stream().filter(r -> r.attributes().get("drydock.slot").equals("alpha"))
                    .findFirst().orElseThrow().id();
            Lease onAlpha = first.info().resourceId().orElseThrow() == alphaResource ? first : second;
            Lease onBeta = onAlpha == first ? second : first;
            PooledBlueprint.DOWN.add("alpha");

            Await.until("the lease on the dead host breaks", Duration.ofSeconds(30), () -> onAlpha.info().status().isDone());
            Assertions.assertThatThrownBy(() -> onAlpha.await(Duration.ofSeconds(1)))
                    .isInstanceOf(LeaseBrokenException.class).hasMessageContaining("host alpha stopped answering");
            onBeta.release();
            LeaseInfo served = third.await(Duration.ofSeconds(30)).info();
            assertThat(drydock.resources().stream().filter(r -> r.id() == served.resourceId().orElseThrow()).findFirst().orElseThrow()
                    .attributes().get("drydock.slot")).as("served by the live host").isEqualTo("beta");
            assertThat(drydock.resources().stream().filter(r -> r.id() == alphaResource).findFirst().orElseThrow().status())
                    .isIn(dev.drydock.api.ResourceStatus.BROKEN, dev.drydock.api.ResourceStatus.DESTROYED);

            PooledBlueprint.DOWN.remove("alpha");
            Lease fourth = acquire(drydock).await(Duration.ofSeconds(60));
            assertThat(fourth.info().status()).as("alpha serves again once it answers").isEqualTo(LeaseStatus.ACTIVE);
            assertThat(db.queryLong("SELECT count(*) FROM dd_slot_lock")).as("one lock per live resource")
                    .isEqualTo(db.queryLong("SELECT count(*) FROM dd_resource WHERE status <> 'DESTROYED'"));
            third.release();
            fourth.release();
            EngineCleanUp.destroyEverything(drydock);
        }
    }

    private static Lease acquire(Drydock drydock) {
        return drydock.allocator().acquire(LeaseRequest.builder("pool-host").build());
    }
}
