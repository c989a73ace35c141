package dev.drydock.core.internal.engine;

import dev.drydock.core.internal.failure.DatabaseFailures;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * Words for a step that failed and will be tried again, for a row's status reason: what failed and
 * when the next try is. The reason it held before stays in front, so that `why` and a later final
 * reason still say how the row got here.
 */
final class StepFailure {
    /** The resource attribute counting failed build steps in a row. */
    static final String FAILURES = "drydock.step_failures";
    /** What separates a row's own reason from the failure report appended to it. */
    static final String MARK = " | step failing";

    private StepFailure() {}

    /**
     * What an exception says, for people: one line for a database failure (whose message would quote
     * the statement), else its message, or its kind when it has none.
     */
    static String describe(Throwable e) {
        java.util.Optional<String> database = DatabaseFailures.brief(e);
        if (database.isPresent()) {
            return database.get();
        }
        String message = e.getMessage();
        return message == null || message.isBlank() ? "unexpected " + e.getClass().getSimpleName() : message;
    }

    static int failures(Map<String, String> attributes) {
        return count(attributes, FAILURES);
    }

    /** A failure count kept in resource attribute {@code name}; 0 when there is none. */
    static int count(Map<String, String> attributes, String name) {
        try {
            return Integer.parseInt(attributes.getOrDefault(name, "0"));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** {@code current} without an earlier failure report. */
    static String base(String current) {
        return before(current, MARK);
    }

    /** {@code current} up to {@code mark}, where a failure report was appended; all of it if there is none. */
    static String before(String current, String mark) {
        int at = current.indexOf(mark);
        return at < 0 ? current : current.substring(0, at);
    }

    /** The reason for a row whose step failed {@code failures} times in a row, the latest with {@code error}. */
    static String reason(String current, String error, int failures, Duration delay) {
        return base(current) + MARK + " (" + failures + (failures == 1 ? " try" : " tries") + "): " + error
                + "; trying again in " + seconds(delay) + " s";
    }

    static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f", d.toMillis() / 1000.0);
    }
}
