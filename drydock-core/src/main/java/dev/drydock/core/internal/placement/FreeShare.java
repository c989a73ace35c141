package dev.drydock.core.internal.placement;

import dev.drydock.api.spi.LeaseView;
import dev.drydock.api.spi.ResourceScorer;
import java.time.Duration;
import java.util.function.DoubleUnaryOperator;

/**
 * The built-in scorers: a convex curve over the share of a resource left free once the lease is
 * placed on it (E-PVM's and Nomad's fit score, applied to lease places), less a penalty for a
 * resource on which a lease recently failed. Both curves run from 0 to 1, so a resource that failed
 * just now (penalty 1) ranks below every healthy one and rejoins over {@link #PENALTY_SPAN}.
 * Immutable.
 */
public final class FreeShare implements ResourceScorer {
    /** How long a failure counts against a resource, fading linearly to nothing. */
    public static final Duration PENALTY_SPAN = Duration.ofMinutes(5);

    /** {@code (10 - 10^f) / 9}: the fullest resource wins, keeping whole resources idle (reclaimable, countable as warm). */
    public static final FreeShare BINPACK = new FreeShare("binpack", f -> (10 - Math.pow(10, f)) / 9);
    /** {@code (10^f - 1) / 9}: the emptiest resource wins, spreading leases (noisy neighbours, many small leases). */
    public static final FreeShare SPREAD = new FreeShare("spread", f -> (Math.pow(10, f) - 1) / 9);

    private final String name;
    private final DoubleUnaryOperator curve;

    private FreeShare(String name, DoubleUnaryOperator curve) {
        this.name = name;
        this.curve = curve;
    }

    @Override
    public String name() {
        return name;
    }

    /** The curve alone, at free share {@code f} (0 to 1), without the penalty. */
    public double curve(double f) {
        return curve.applyAsDouble(f);
    }

    @Override
    public Score score(ScoredResource candidate, LeaseView lease) {
        double base = curve(candidate.freeAfter());
        return candidate.sinceFailure().filter(since -> since.compareTo(PENALTY_SPAN) < 0)
                .map(since -> new Score(base - penalty(since), "failed " + since.toSeconds() + " s ago"))
                .orElseGet(() -> new Score(base, ""));
    }

    /** {@code max(0, 1 - since / 5 min)}: 1 for a failure just now, nothing once it is five minutes old. */
    public static double penalty(Duration since) {
        return Math.max(0, 1 - since.toMillis() / (double) PENALTY_SPAN.toMillis());
    }
}
