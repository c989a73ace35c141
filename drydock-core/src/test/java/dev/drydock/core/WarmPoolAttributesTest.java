package dev.drydock.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drydock.api.InvalidRequestException;
import dev.drydock.api.Lease;
import dev.drydock.api.LeaseRequest;
import dev.drydock.api.ResourceStatus;
import dev.drydock.api.WarmPoolInfo;
import dev.drydock.testing.Await;
import dev.drydock.testing.LeakCheck;
import dev.drydock.testing.PostgresExtension;
import dev.drydock.testing.TestDatabase;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Pools by attribute set: a resource counts for the most specific pool whose attributes it meets
 * (never for two), a lease asking for those attributes is served from the pool, and a pool asking
 * for attributes its blueprint can never give is refused.
 */
@ExtendWith({PostgresExtension.class, LeakCheck.class})
class WarmPoolAttributesTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static DrydockFixture fx;

    @BeforeAll
    static void setUp(TestDatabase db) throws Exception {
        fx = new DrydockFixture(db);
    }

    @AfterAll
    static void tearDown() {
        fx.close();
    }

    @Test
    void eachResourceCountsForTheMostSpecificPoolItMeetsAndALeaseWithThoseAttributesTakesOne() {
        fx.drydock.blueprints().create("debian", "local-host", "{\"root\": \"" + fx.root + "\", \"attributes\": {\"os\": \"debian-12\"}}", 4);
        fx.drydock.blueprints().setWarmPool("debian", Map.of("os", "debian-12"), 1, Optional.empty());
        fx.drydock.blueprints().setWarmPool("debian", Map.of(), 1, Optional.empty());

        Await.until("both pools met: two idle, one counted by each", WAIT, () -> idle() == 2
                && fx.drydock.blueprints().warmPools("debian").stream().allMatch(p -> p.status().contains("1 of 1 ready idle, building 0")));
        List<WarmPoolInfo> pools = fx.drydock.blueprints().warmPools("debian");
        assertThat(pools.getFirst().attributes()).as("most specific first").containsEntry("os", "debian-12");
        assertThat(pools.getFirst().status()).isEqualTo("debian [os=debian-12]: 1 of 1 ready idle, building 0");

        Lease lease = fx.drydock.allocator().acquire(LeaseRequest.builder("host").blueprint("debian").attribute("os", "debian-12").build());
        lease.await(WAIT);
        Await.until("back to two idle beside the leased one", WAIT, () -> idle() == 2);
        lease.release();
    }

    @Test
    void aPoolAskingForAttributesItsBlueprintNeverGivesIsRefused() {
        fx.drydock.blueprints().create("plain", "local-host", "{\"root\": \"" + fx.root + "\"}", 2);
        assertThatThrownBy(() -> fx.drydock.blueprints().setWarmPool("plain", Map.of("gpu", "a100"), 1, Optional.empty()))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("attributes").hasMessageContaining("gpu");
        assertThat(fx.drydock.blueprints().warmPools("plain")).isEmpty();
    }

    private static long idle() {
        return fx.drydock.resources().stream().filter(r -> r.blueprintName().equals("debian") && r.status() == ResourceStatus.ACTIVE
                && r.activeLeases() == 0).count();
    }
}
