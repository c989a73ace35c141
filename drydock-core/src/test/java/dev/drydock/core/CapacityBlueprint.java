package dev.drydock.core;

import dev.drydock.api.spi.ConfigProblem;
import java.util.List;

/**
 * An {@link InertBlueprint} whose whole configuration is its capacity ({@code {"capacity": N}}),
 * for tests that only vary what a blueprint does with leases.
 */
abstract class CapacityBlueprint extends InertBlueprint<CapacityBlueprint.Config> {
    /** Leases per resource. */
    record Config(int capacity) {}

    private final String type;
    private final String resourceType;

    CapacityBlueprint(String type, String resourceType) {
        this.type = type;
        this.resourceType = resourceType;
    }

    @Override
    public final String type() {
        return type;
    }

    @Override
    public final String resourceType() {
        return resourceType;
    }

    @Override
    public final Class<Config> configType() {
        return Config.class;
    }

    @Override
    public final List<ConfigProblem> validate(Config config) {
        return List.of();
    }

    @Override
    public final int capacity(Config config) {
        return config.capacity();
    }
}
