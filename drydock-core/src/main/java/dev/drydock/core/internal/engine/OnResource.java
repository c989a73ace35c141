package dev.drydock.core.internal.engine;

import dev.drydock.api.LeaseRequest;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The engine's reading of {@link LeaseRequest#ON_RESOURCE}: the one resource a lease may be placed
 * on. Blueprints match the rest of a lease's attributes; this one is the engine's alone.
 */
final class OnResource {
    private OnResource() {}

    /** The resource the lease must be placed on, if it names one. */
    static Optional<Long> of(Map<String, String> attributes) {
        return Optional.ofNullable(attributes.get(LeaseRequest.ON_RESOURCE)).map(Long::valueOf);
    }

    /** Whether a lease with these attributes may be placed on {@code resourceId}. */
    static boolean allows(Map<String, String> attributes, long resourceId) {
        return of(attributes).map(id -> id == resourceId).orElse(true);
    }

    /** The attributes blueprints match: all but the engine's own. */
    static Map<String, String> forBlueprints(Map<String, String> attributes) {
        if (!attributes.containsKey(LeaseRequest.ON_RESOURCE)) {
            return attributes;
        }
        Map<String, String> rest = new HashMap<>(attributes);
        rest.remove(LeaseRequest.ON_RESOURCE);
        return Map.copyOf(rest);
    }
}
