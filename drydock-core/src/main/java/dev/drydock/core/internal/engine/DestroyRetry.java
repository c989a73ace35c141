package dev.drydock.core.internal.engine;

import java.time.Duration;
import java.util.Map;

/**
 * How a destroy that fails is tried again: with a doubling delay, capped at a minute, for as long
 * as it takes, with the latest error in the resource's status reason for operators to read.
 */
final class DestroyRetry {
    /** The resource attribute counting failed destroys in a row. */
    static final String FAILURES = "drydock.destroy_failures";
    private static final Duration FIRST = Duration.ofSeconds(1);
    private static final Duration CAP = Duration.ofMinutes(1);
    private static final String MARK = " | destroy failing";

    private DestroyRetry() {}

    static int failures(Map<String, String> attributes) {
        try {
            return Integer.parseInt(attributes.getOrDefault(FAILURES, "0"));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    static Duration delayAfter(int failures) {
        int doublings = Math.min(Math.max(failures - 1, 0), 16);
        Duration delay = FIRST.multipliedBy(1L << doublings);
        return delay.compareTo(CAP) > 0 ? CAP : delay;
    }

    /** The reason the resource ended, then the latest destroy error (replacing an earlier one). */
    static String reason(String current, String blueprint, String error, int failures, Duration delay) {
        int mark = current.indexOf(MARK);
        String ended = mark < 0 ? current : current.substring(0, mark);
        return ended + MARK + " (" + failures + " tries): blueprint " + blueprint + " could not destroy it: " + error
                + "; trying again in " + delay.toSeconds() + " s (fix the blueprint's configuration or the host)";
    }
}
