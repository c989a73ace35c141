package dev.drydock.core.internal.engine;

import dev.drydock.core.internal.store.ResourceRow;
import java.util.Map;
import java.util.Optional;

/**
 * The lease a resource was built for, kept as a resource attribute written by the insert that
 * creates the row: the lease's own {@code building_resource_id} is cleared once it is placed
 * (possibly elsewhere), but the build still needs to know what it was asked for.
 */
final class Cause {
    static final String LEASE = "drydock.built_for_lease";

    private Cause() {}

    static Map<String, String> attributes(long leaseId) {
        return Map.of(LEASE, Long.toString(leaseId));
    }

    static Optional<Long> of(ResourceRow resource) {
        String id = resource.attributes().get(LEASE);
        try {
            return id == null ? Optional.empty() : Optional.of(Long.parseLong(id));
        } catch (NumberFormatException e) {
            return Optional.empty(); // hand-edited: no cause rather than a failed build
        }
    }
}
