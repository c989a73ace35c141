package dev.drydock.core;

import dev.drydock.api.spi.ConfigProblem;
import dev.drydock.api.spi.Decision;
import dev.drydock.api.spi.LeaseContext;
import dev.drydock.api.spi.LeaseView;
import dev.drydock.api.spi.Progress;
import dev.drydock.api.spi.ResourceContext;
import dev.drydock.api.spi.ResourceView;
import java.util.List;
import java.util.Objects;

/**
 * A test blueprint whose resources take the "flavor" of their first lease and serve only leases of
 * that flavor: enough to make an idle resource unable to serve a waiting lease. A real plugin
 * through the SPI, touching nothing outside the database.
 */
final class FlavoredBlueprint extends InertBlueprint<FlavoredBlueprint.Config> {
    record Config(int capacity) {}

    @Override
    public String type() {
        return "flavored";
    }

    @Override
    public String resourceType() {
        return "flavored-box";
    }

    @Override
    public Class<Config> configType() {
        return Config.class;
    }

    @Override
    public List<ConfigProblem> validate(Config config) {
        return config.capacity() >= 1 ? List.of() : List.of(new ConfigProblem("capacity", "must be at least 1"));
    }

    @Override
    public int capacity(Config config) {
        return config.capacity();
    }

    /** The flavor is this blueprint's own attribute: any flavor is met, by a resource it sets on first use. */
    @Override
    public Decision meetsAttributes(Config config, java.util.Map<String, String> requested) {
        return Decision.yes();
    }

    @Override
    public Decision canAcquire(Config config, ResourceView resource, LeaseView lease) {
        String has = resource.attributes().get("flavor");
        String wants = lease.attributes().get("flavor");
        return has == null || Objects.equals(has, wants) ? Decision.yes() : Decision.no("resource is " + has + ", lease wants " + wants);
    }

    @Override
    public Progress acquireLease(Config config, ResourceContext resource, LeaseContext lease) {
        if (!resource.resource().attributes().containsKey("flavor")) {
            resource.setAttribute("flavor", lease.lease().attributes().getOrDefault("flavor", "plain"));
        }
        return Progress.done();
    }
}
