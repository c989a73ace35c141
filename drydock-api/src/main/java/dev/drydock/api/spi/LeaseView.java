package dev.drydock.api.spi;

import java.util.Map;

/**
 * A lease as a blueprint sees it.
 *
 * @param attributes       what the lease asked for
 * @param leaseAttributes  what the blueprint recorded on the lease (e.g. its working directory)
 */
public record LeaseView(long id, String resourceType, Map<String, String> attributes, Map<String, String> leaseAttributes) {
    public LeaseView {
        attributes = Map.copyOf(attributes);
        leaseAttributes = Map.copyOf(leaseAttributes);
    }
}
