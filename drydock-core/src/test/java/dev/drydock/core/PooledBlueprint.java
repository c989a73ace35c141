package dev.drydock.core;

import dev.drydock.api.spi.ConfigProblem;
import dev.drydock.api.spi.Decision;
import dev.drydock.api.spi.LeaseContext;
import dev.drydock.api.spi.Progress;
import dev.drydock.api.spi.ResourceContext;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A test blueprint for a pool of named hosts, one resource per host (slots), whose hosts the test
 * can take down and bring back: the engine's side of what remote-host does over SSH.
 */
final class PooledBlueprint extends InertBlueprint<PooledBlueprint.Config> {
    record Config(List<String> hosts, int capacity) {}

    static final Set<String> DOWN = ConcurrentHashMap.newKeySet();

    @Override
    public String type() {
        return "pooled";
    }

    @Override
    public String resourceType() {
        return "pool-host";
    }

    @Override
    public Class<Config> configType() {
        return Config.class;
    }

    @Override
    public List<ConfigProblem> validate(Config config) {
        return config.hosts() == null || config.hosts().isEmpty() ? List.of(new ConfigProblem("hosts", "at least one host")) : List.of();
    }

    @Override
    public int capacity(Config config) {
        return config.capacity();
    }

    @Override
    public List<String> slots(Config config) {
        return config.hosts();
    }

    @Override
    public Progress allocate(Config config, ResourceContext resource) {
        String host = resource.resource().attributes().get(SLOT);
        return DOWN.contains(host) ? Progress.failed("host " + host + " does not answer") : Progress.done();
    }

    @Override
    public Duration healthCheckInterval(Config config) {
        return Duration.ofMillis(200);
    }

    @Override
    public Decision checkHealth(Config config, ResourceContext resource) {
        String host = resource.resource().attributes().get(SLOT);
        return DOWN.contains(host) ? Decision.no("host " + host + " stopped answering") : Decision.yes();
    }

    @Override
    public Progress acquireLease(Config config, ResourceContext resource, LeaseContext lease) {
        return Progress.done();
    }

    @Override
    public void releaseLease(Config config, ResourceContext resource, LeaseContext lease) {
        String host = resource.resource().attributes().get(SLOT);
        if (DOWN.contains(host)) {
            throw new IllegalStateException("the engine must not clean up through a dead host " + host);
        }
    }
}
