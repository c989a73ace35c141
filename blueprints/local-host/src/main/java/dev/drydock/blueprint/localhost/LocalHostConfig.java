package dev.drydock.blueprint.localhost;

/**
 * Configuration of a {@code local-host} blueprint, read from JSON.
 *
 * @param root     absolute directory under which every resource and lease gets its own directory (required)
 * @param capacity leases one resource (slot) holds at once, 1 to 10000 (default 1)
 * @param keepIdle whether an idle slot is kept for reuse (default true) or destroyed at once
 * @param attributes facts every slot has, which a lease may require with {@code --attr NAME=VALUE} (default none)
 * @param buildDelaySeconds how long building a slot takes at least, 0 to 600 seconds, fractions allowed (default 0:
 *                   ready at once); stands in for a machine that boots, for warm-pool tests and the planner benchmark
 * @param healthCheckSeconds how often the engine checks that each slot's directory is still there, 1 to 86400
 *                   seconds (default none: never)
 */
public record LocalHostConfig(String root, Integer capacity, Boolean keepIdle, java.util.Map<String, String> attributes,
                              Double buildDelaySeconds, Integer healthCheckSeconds) {
    /** The default {@link #capacity}: one lease per slot, like a machine of its own. */
    public static final int DEFAULT_CAPACITY = 1;
    /** The largest {@link #buildDelaySeconds}: well inside the engine's default build timeout of 30 minutes. */
    public static final double MAX_BUILD_DELAY_SECONDS = 600;

    public int capacityOrDefault() {
        return capacity == null ? DEFAULT_CAPACITY : capacity;
    }

    public java.util.Map<String, String> attributesOrNone() {
        return attributes == null ? java.util.Map.of() : attributes;
    }

    public boolean keep() {
        return keepIdle == null || keepIdle;
    }

    /** How often a slot's health is checked; zero when never. */
    public java.time.Duration healthCheckInterval() {
        return healthCheckSeconds == null ? java.time.Duration.ZERO : java.time.Duration.ofSeconds(healthCheckSeconds);
    }

    /** The configured build delay, zero when none is set. */
    public java.time.Duration buildDelay() {
        return buildDelaySeconds == null ? java.time.Duration.ZERO : java.time.Duration.ofNanos(Math.round(buildDelaySeconds * 1e9));
    }
}
