package dev.drydock.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drydock.api.Gang;
import dev.drydock.api.GangStatus;
import dev.drydock.api.LeaseBrokenException;
import dev.drydock.api.LeaseRequest;
import dev.drydock.testing.Await;
import dev.drydock.testing.LeakCheck;
import dev.drydock.testing.PostgresExtension;
import dev.drydock.testing.TestDatabase;
import java.time.Duration;
import java.util.Collections;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A gang on a blueprint with slots (a pool of named hosts, as remote-host has): each member's build
 * claims its own slot inside the one reservation, and a gang that would need a slot that is taken
 * reserves nothing at all — no resource, no slot — and breaks at its deadline leaving nothing.
 */
@ExtendWith({PostgresExtension.class, LeakCheck.class})
class GangSlotsTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void eachMemberBuildsOnItsOwnSlotAndAGangShortOfSlotsReservesNothing(TestDatabase db) throws Exception {
        PooledBlueprint.DOWN.clear();
        try (Drydock drydock = Drydock.builder(db.dataSource()).register(new PooledBlueprint()).build();
             var taskmaster = drydock.taskmaster().threads(8).pollInterval(Duration.ofMillis(100)).build().start();
             GangInvariants invariants = new GangInvariants(db)) {
            drydock.blueprints().create("pool", "pooled", "{\"hosts\": [\"alpha\", \"beta\", \"gamma\"], \"capacity\": 1}", 10);
            Gang first = drydock.allocator().acquireAll(Collections.nCopies(3, LeaseRequest.builder("pool-host").build()));
            first.await(WAIT);
            assertThat(drydock.resources()).extracting(r -> r.attributes().get("drydock.slot")).containsExactlyInAnyOrder("alpha", "beta", "gamma");

            Gang second = drydock.allocator().acquireAll(Collections.nCopies(2,
                    LeaseRequest.builder("pool-host").acquireDeadline(Duration.ofSeconds(3)).build()));
            assertThatThrownBy(() -> second.await(WAIT)).isInstanceOf(LeaseBrokenException.class).hasMessageContaining("acquire deadline");
            assertThat(second.info().status()).isEqualTo(GangStatus.BROKEN);
            assertThat(second.info().statusReason()).contains("slots (hosts) is in use");
            assertThat(db.queryLong("SELECT count(*) FROM dd_resource")).as("no resource was ever inserted for the second gang").isEqualTo(3);
            assertThat(db.queryLong("SELECT count(*) FROM dd_slot_lock")).as("one slot per resource of the first gang").isEqualTo(3);

            first.release();
            EngineCleanUp.destroyEverything(drydock);
            invariants.awaitGangsOver();
            assertThat(invariants.violations()).isEmpty();
        }
    }
}
