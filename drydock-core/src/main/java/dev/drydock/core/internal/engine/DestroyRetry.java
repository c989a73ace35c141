package dev.drydock.core.internal.engine;

import java.time.Duration;
import java.util.Map;

/**
 * How a destroy that fails is tried again: on the engine's {@link StepRetry} (doubling, capped,
 * jittered), for as long as it takes, with the latest error in the resource's status reason for
 * operators to read (and for {@code status} to count).
 */
public final class DestroyRetry {
    /** The resource attribute counting failed destroys in a row. */
    public static final String FAILURES = "drydock.destroy_failures";
    /** What the status reason of a resource whose destroy keeps failing contains. */
    static final String MARK = " | destroy failing";

    private DestroyRetry() {}

    static int failures(Map<String, String> attributes) {
        return StepFailure.count(attributes, FAILURES);
    }

    /**
     * The reason the resource ended, then the latest destroy error (replacing an earlier one) and
     * what an operator can do: the destroy uses the configuration the resource was built with
     * (decision 42), so fixing the blueprint helps only once the resource is pointed at it.
     */
    static String reason(long resource, String current, String blueprint, String error, int failures, Duration delay) {
        return StepFailure.before(current, MARK) + MARK + " (" + failures + " tries): blueprint " + blueprint + " could not destroy it: " + error
                + "; trying again in " + StepFailure.seconds(delay) + " s (fix the host; if the configuration it was built with"
                + " is wrong, fix the blueprint, then run drydock-control resource use-current-config " + resource + ")";
    }
}
