package dev.drydock.core;

import dev.drydock.api.LeaseInfo;
import java.util.List;

/**
 * The leases around one resource, newest first, as {@link Drydock#leasesOf} reads them.
 *
 * @param holding   leases placed on it that are not yet destroyed (acquired, active, or released
 *                  and being cleaned up)
 * @param subLeases leases it holds on other resources (DESIGN §11) while it owns them
 */
public record ResourceLeases(List<LeaseInfo> holding, List<LeaseInfo> subLeases) {
    public ResourceLeases {
        holding = List.copyOf(holding);
        subLeases = List.copyOf(subLeases);
    }
}
