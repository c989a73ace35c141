package dev.drydock.core;

import dev.drydock.api.ResourceInterface;
import dev.drydock.api.spi.ConfigProblem;
import dev.drydock.api.spi.Decision;
import dev.drydock.api.spi.LeaseContext;
import dev.drydock.api.spi.LeaseView;
import dev.drydock.api.spi.Progress;
import dev.drydock.api.spi.ResourceContext;
import dev.drydock.api.spi.ResourceView;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A test blueprint whose configuration names a region, as a cloud blueprint's would, and which
 * records the region every call about a resource received. Its resources declare their region as
 * an attribute; a destroy in region {@code nowhere} fails, as one with a mistaken configuration would.
 */
final class RegionalBlueprint extends InertBlueprint<RegionalBlueprint.Config> {
    record Config(int capacity, String region) {}

    /** One call about one resource, and the region its configuration named. */
    record Call(String step, long resourceId, String region) {}

    final List<Call> calls = new CopyOnWriteArrayList<>();
    volatile Duration healthCheckInterval = Duration.ZERO;

    @Override
    public String type() {
        return "regional";
    }

    @Override
    public String resourceType() {
        return "regional-box";
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

    @Override
    public Map<String, String> attributes(Config config) {
        return Map.of("region", config.region());
    }

    /** The regions step {@code step} received for resource {@code resourceId}, in call order. */
    List<String> regions(String step, long resourceId) {
        return calls.stream().filter(c -> c.step().equals(step) && c.resourceId() == resourceId).map(Call::region).toList();
    }

    private void record(String step, ResourceContext resource, Config config) {
        calls.add(new Call(step, resource.resource().id(), config.region()));
    }

    @Override
    public Progress allocate(Config config, ResourceContext resource) {
        record("allocate", resource, config);
        return Progress.done();
    }

    @Override
    public Progress activate(Config config, ResourceContext resource) {
        record("activate", resource, config);
        return Progress.done();
    }

    @Override
    public Progress acquireLease(Config config, ResourceContext resource, LeaseContext lease) {
        record("acquireLease", resource, config);
        return Progress.done();
    }

    @Override
    public void releaseLease(Config config, ResourceContext resource, LeaseContext lease) {
        record("releaseLease", resource, config);
    }

    @Override
    public Progress destroy(Config config, ResourceContext resource) {
        record("destroy", resource, config);
        return config.region().equals("nowhere") ? Progress.failed("region nowhere does not exist; fix the blueprint's region")
                : Progress.done();
    }

    @Override
    public <T extends ResourceInterface> Optional<T> interfaceFor(Config config, ResourceContext resource, LeaseView lease, Class<T> type) {
        record("interfaceFor", resource, config);
        return Optional.empty();
    }

    @Override
    public boolean shouldKeep(Config config, ResourceView resource, Duration idleFor) {
        calls.add(new Call("shouldKeep", resource.id(), config.region()));
        return true;
    }

    @Override
    public Duration healthCheckInterval(Config config) {
        return healthCheckInterval;
    }

    @Override
    public Decision checkHealth(Config config, ResourceContext resource) {
        record("checkHealth", resource, config);
        return Decision.yes();
    }
}
