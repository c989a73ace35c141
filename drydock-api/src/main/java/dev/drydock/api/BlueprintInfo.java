package dev.drydock.api;

/**
 * A stored blueprint: a named, enabled or disabled instance of an implementation with its limit.
 *
 * @param limit     the most resources it may have at once
 * @param resources how many it has now (building, active, or being destroyed)
 * @param config    its configuration as JSON; secrets appear only as references
 * @param placement the scorer that ranks its resources for a lease: {@code binpack}, {@code spread} or a registered one
 */
public record BlueprintInfo(long id, String name, String type, String resourceType, int limit, int resources,
                            boolean enabled, String config, String placement) {}
