package dev.drydock.core.internal.store;

/**
 * A stored blueprint. {@code configVersion} numbers its configurations (one more with each change),
 * so a resource built with this {@code config} can tell it is still current by comparing one number.
 * {@code placement} names the scorer that ranks its resources for a lease.
 */
public record BlueprintRow(long id, String name, String type, String resourceType, String config, int configVersion, int resourceLimit,
                           int resourceCount, boolean enabled, String placement) {}
