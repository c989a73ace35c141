package dev.drydock.api.spi;

/**
 * One thing wrong with a blueprint configuration.
 *
 * @param field   the configuration field, e.g. {@code root}
 * @param problem the rule broken and, where one exists, the default or an example
 */
public record ConfigProblem(String field, String problem) {}
