package dev.drydock.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drydock.api.InvalidRequestException;
import dev.drydock.api.Lease;
import dev.drydock.api.LeaseRequest;
import dev.drydock.api.ResourceInfo;
import dev.drydock.api.ResourceStatus;
import dev.drydock.testing.Await;
import dev.drydock.testing.LeakCheck;
import dev.drydock.testing.PostgresExtension;
import dev.drydock.testing.TestDatabase;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A local-host blueprint's {@code buildDelaySeconds} makes each build take at least that long (the
 * planner's tests and benchmark need a build that takes time); a slot kept idle serves the next
 * lease without it; a delay outside 0 to 600 seconds is refused naming the field.
 */
@ExtendWith({PostgresExtension.class, LeakCheck.class})
class LocalHostBuildDelayTest {
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
    void aBuildTakesAtLeastTheDelayAndItsReasonSaysSoWhileAKeptSlotIsReusedWithoutIt() {
        fx.drydock.blueprints().create("slow", "local-host", delayed("1.5"), 1);
        long started = System.nanoTime();
        Lease first = fx.drydock.allocator().acquire(LeaseRequest.builder("host").blueprint("slow").build());

        Await.until("the slot is being built", Duration.ofSeconds(30), () -> fx.drydock.resources().stream()
                .anyMatch(r -> r.status() == ResourceStatus.PENDING && r.statusReason().contains("the configured build delay of 1.5 s")));
        first.await(Duration.ofSeconds(60));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("lease to active, with a build delay of 1.5 s")
                .isGreaterThanOrEqualTo(Duration.ofMillis(1500));
        long resourceId = first.info().resourceId().orElseThrow();
        first.release();
        Await.until("the slot is idle", Duration.ofSeconds(30), () -> resource(resourceId).activeLeases() == 0);

        Lease second = fx.drydock.allocator().acquire(LeaseRequest.builder("host").blueprint("slow").build());
        second.await(Duration.ofSeconds(60));
        assertThat(second.info().resourceId()).as("the kept slot, not a new build").contains(resourceId);
        second.release();
        Await.until("released", Duration.ofSeconds(30), () -> second.info().status().isDone());
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "600.5", "\"2s\""})
    void aDelayOutsideItsRangeOrNotANumberIsRefusedNamingTheField(String value) {
        assertThatThrownBy(() -> fx.drydock.blueprints().create("refused", "local-host", delayed(value), 1))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("buildDelaySeconds");
        assertThat(fx.drydock.blueprints().find("refused")).isEmpty();
    }

    private static String delayed(String seconds) {
        return "{\"root\": \"" + fx.root + "\", \"buildDelaySeconds\": " + seconds + "}";
    }

    private static ResourceInfo resource(long id) {
        return fx.drydock.resource(id).orElseThrow();
    }
}
