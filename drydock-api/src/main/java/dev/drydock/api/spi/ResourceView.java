package dev.drydock.api.spi;

import dev.drydock.api.ResourceStatus;
import java.util.Map;

/**
 * A resource as a blueprint sees it.
 *
 * @param attributes   what the blueprint recorded on it (facts, cloud ids; never secrets)
 * @param activeLeases leases it holds now (acquired or active)
 */
public record ResourceView(long id, String blueprintName, ResourceStatus status, int capacity, int activeLeases,
                           Map<String, String> attributes) {
    public ResourceView {
        attributes = Map.copyOf(attributes);
    }
}
