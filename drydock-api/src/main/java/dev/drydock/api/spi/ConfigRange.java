package dev.drydock.api.spi;

import java.util.Optional;

/**
 * The check of a whole-number configuration field against its allowed range, for a blueprint's
 * {@code validate}: one wording for every blueprint, naming the field's unit, the range, the value
 * and the default.
 */
public final class ConfigRange {
    private ConfigRange() {}

    /**
     * A problem when {@code value} is set and outside {@code min} to {@code max}: "{@code unit} must
     * be MIN to MAX, was V (default D)".
     */
    public static Optional<ConfigProblem> check(String field, Integer value, int min, int max, String unit, int byDefault) {
        return check(field, value, min, max, unit, "default " + byDefault);
    }

    /** As {@link #check(String, Integer, int, int, String, int)}, with the default in words, e.g. {@code default: no limit}. */
    public static Optional<ConfigProblem> check(String field, Integer value, int min, int max, String unit, String defaultInWords) {
        if (value == null || (value >= min && value <= max)) {
            return Optional.empty();
        }
        return Optional.of(new ConfigProblem(field, unit + " must be " + min + " to " + max + ", was " + value + " (" + defaultInWords + ")"));
    }
}
