package dev.drydock.core.internal.store;

/** A stored blueprint. */
public record BlueprintRow(long id, String name, String type, String resourceType, String config, int resourceLimit,
                           int resourceCount, boolean enabled) {}
