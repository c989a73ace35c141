package dev.drydock.core.internal.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drydock.api.InvalidRequestException;
import dev.drydock.api.ResourceStatus;
import dev.drydock.api.spi.LeaseView;
import dev.drydock.api.spi.ResourceScorer;
import dev.drydock.api.spi.ResourceView;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Scorers by name: what may be registered, what a blueprint may name, and what stands in for a scorer that fails. */
class ScorersTest {
    @Test
    void aNameMustBeUsableAsAPlacementAndFree() {
        assertThatThrownBy(() -> new Scorers(List.of(named("Fancy")))).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("lower-case").hasMessageContaining("'Fancy'");
        assertThatThrownBy(() -> new Scorers(List.of(named("spread")))).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("already taken");
        assertThatThrownBy(() -> new Scorers(List.of(named("mine"), named("mine")))).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("'mine' is already taken");
        assertThat(new Scorers(List.of(named("mine"))).names()).containsExactly("binpack", "mine", "spread");
    }

    @Test
    void anUnknownPlacementIsRefusedNamingTheKnownOnesAndPlacedByBinpackWhenStoredElsewhere() {
        Scorers scorers = Scorers.builtIn();
        assertThatThrownBy(() -> scorers.check("nearest")).isInstanceOf(InvalidRequestException.class)
                .satisfies(e -> assertThat(((InvalidRequestException) e).field()).isEqualTo("placement"))
                .hasMessageContaining("'nearest'").hasMessageContaining("binpack, spread");
        assertThat(scorers.of("nearest")).isSameAs(FreeShare.BINPACK);
        assertThat(scorers.of("spread")).isSameAs(FreeShare.SPREAD);
    }

    @Test
    void aScorerThatThrowsOrAnswersNoNumberIsStoodInForByBinpack() {
        Scorers scorers = Scorers.builtIn();
        ResourceView view = new ResourceView(3, 1, "boxes", "installation", ResourceStatus.ACTIVE, 2, 1, Map.of());
        ResourceScorer.ScoredResource candidate = new ResourceScorer.ScoredResource(view, 2, 1, Optional.empty(), Optional.empty(), Instant.EPOCH);
        LeaseView lease = new LeaseView(1, "box", Map.of(), Map.of());
        double binpack = FreeShare.BINPACK.score(candidate, lease).value();
        assertThat(scorers.score(new Fixed("nan", Double.NaN), candidate, lease).value()).isEqualTo(binpack);
        assertThat(scorers.score(new Fixed("throws", 0) {
            @Override
            public Score score(ScoredResource c, LeaseView l) {
                throw new IllegalStateException("no data");
            }
        }, candidate, lease).value()).isEqualTo(binpack);
        assertThat(scorers.score(new Fixed("fixed", 7), candidate, lease).value()).isEqualTo(7);
    }

    private static ResourceScorer named(String name) {
        return new Fixed(name, 0);
    }

    private static class Fixed implements ResourceScorer {
        private final String name;
        private final double value;

        Fixed(String name, double value) {
            this.name = name;
            this.value = value;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Score score(ScoredResource candidate, LeaseView lease) {
            return new Score(value, "");
        }
    }
}
