package dev.drydock.api.spi;

import dev.drydock.api.ResourceStatus;
import java.util.Map;
import java.util.Objects;

/**
 * A resource as a blueprint sees it. Its ids identify what a blueprint creates outside the
 * database: tag it with {@code installationId}, {@code blueprintId} and {@code id}, and derive
 * names and idempotency tokens from them (an EC2 {@code ClientToken}, a libvirt domain name), so a
 * step repeated after a crash finds its own work and a reaper can tell this installation's objects
 * from anyone else's.
 *
 * @param id             the resource's id, unique in its installation
 * @param blueprintId    the id of the stored blueprint that built it; unlike its name, never reused
 * @param installationId the database's installation id (a UUID made once with the schema, the
 *                       same for every process on that database)
 * @param attributes     what the blueprint recorded on it (facts, cloud ids; never secrets)
 * @param activeLeases   leases it holds now (acquired or active)
 */
public record ResourceView(long id, long blueprintId, String blueprintName, String installationId, ResourceStatus status,
                           int capacity, int activeLeases, Map<String, String> attributes) {
    public ResourceView {
        Objects.requireNonNull(blueprintName, "blueprintName");
        Objects.requireNonNull(installationId, "installationId");
        Objects.requireNonNull(status, "status");
        attributes = Map.copyOf(attributes);
    }
}
