package dev.drydock.core.internal.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.drydock.api.ResourceStatus;
import dev.drydock.api.spi.LeaseView;
import dev.drydock.api.spi.ResourceScorer;
import dev.drydock.api.spi.ResourceView;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The shape of the built-in scores: their ends, their direction, their curvature, and the failure penalty. */
class FreeShareTest {
    private static final Instant NOW = Instant.parse("2026-12-04T02:00:00Z");
    private static final LeaseView LEASE = new LeaseView(1, "box", Map.of(), Map.of());

    @Test
    void binpackRunsFromOneWhenFullToZeroWhenEmptyAndFallsFasterTowardEmpty() {
        FreeShare binpack = FreeShare.BINPACK;
        assertThat(binpack.curve(0)).isCloseTo(1, within(1e-12));
        assertThat(binpack.curve(1)).isCloseTo(0, within(1e-12));
        for (double f = 0; f < 0.95; f += 0.1) {
            double step = binpack.curve(f) - binpack.curve(f + 0.05);
            double nextStep = binpack.curve(f + 0.05) - binpack.curve(f + 0.1);
            assertThat(step).as("falls at %s", f).isPositive();
            assertThat(nextStep).as("the cost 10^f is convex: each step down is larger than the last, at %s", f).isGreaterThan(step);
        }
    }

    @Test
    void spreadRunsFromZeroWhenFullToOneWhenEmptyAndRisesFasterTowardEmpty() {
        FreeShare spread = FreeShare.SPREAD;
        assertThat(spread.curve(0)).isCloseTo(0, within(1e-12));
        assertThat(spread.curve(1)).isCloseTo(1, within(1e-12));
        for (double f = 0; f < 0.95; f += 0.1) {
            double step = spread.curve(f + 0.05) - spread.curve(f);
            assertThat(step).as("rises at %s", f).isPositive();
            assertThat(spread.curve(f + 0.1) - spread.curve(f + 0.05)).as("convex at %s", f).isGreaterThan(step);
        }
    }

    @Test
    void theFullerResourceWinsBinpackAndTheEmptierWinsSpread() {
        ResourceScorer.ScoredResource fuller = candidate(7, 8, 5, Optional.empty());
        ResourceScorer.ScoredResource emptier = candidate(9, 8, 1, Optional.empty());
        assertThat(FreeShare.BINPACK.score(fuller, LEASE).value()).isGreaterThan(FreeShare.BINPACK.score(emptier, LEASE).value());
        assertThat(FreeShare.SPREAD.score(emptier, LEASE).value()).isGreaterThan(FreeShare.SPREAD.score(fuller, LEASE).value());
        assertThat(fuller.freeAfter()).as("(8 - 5 - 1) / 8").isEqualTo(0.25);
    }

    @Test
    void aFailureCountsFullyAtOnceAndFadesToNothingOverFiveMinutes() {
        assertThat(FreeShare.penalty(Duration.ZERO)).isEqualTo(1);
        assertThat(FreeShare.penalty(Duration.ofSeconds(150))).isCloseTo(0.5, within(1e-12));
        assertThat(FreeShare.penalty(Duration.ofMinutes(5))).isZero();
        assertThat(FreeShare.penalty(Duration.ofHours(1))).isZero();

        ResourceScorer.Score justFailed = FreeShare.BINPACK.score(candidate(5, 4, 3, Optional.of(NOW.minusSeconds(1))), LEASE);
        ResourceScorer.Score emptyAndHealthy = FreeShare.BINPACK.score(candidate(6, 4, 0, Optional.empty()), LEASE);
        assertThat(justFailed.value()).as("the best place, failed a second ago, below the worst healthy one")
                .isLessThan(emptyAndHealthy.value());
        assertThat(justFailed.why()).isEqualTo("failed 1 s ago");
        assertThat(emptyAndHealthy.why()).isEmpty();
        ResourceScorer.Score longAgo = FreeShare.SPREAD.score(candidate(5, 4, 3, Optional.of(NOW.minus(Duration.ofMinutes(6)))), LEASE);
        assertThat(longAgo.why()).as("a failure five minutes old no longer counts").isEmpty();
    }

    private static ResourceScorer.ScoredResource candidate(long id, int capacity, int leases, Optional<Instant> failedAt) {
        ResourceView view = new ResourceView(id, 1, "boxes", "installation", ResourceStatus.ACTIVE, capacity, leases, Map.of());
        return new ResourceScorer.ScoredResource(view, capacity, leases, failedAt, Optional.empty(), NOW);
    }
}
