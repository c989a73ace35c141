package dev.drydock.core;

import dev.drydock.api.SecretUnavailableException;
import dev.drydock.api.spi.ConfigProblem;
import dev.drydock.api.spi.LeaseContext;
import dev.drydock.api.spi.LeaseView;
import dev.drydock.api.spi.Progress;
import dev.drydock.api.spi.ResourceContext;
import dev.drydock.api.spi.ResourceView;
import dev.drydock.api.spi.SecretResolver;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A test blueprint that records what its steps were shown (the resource's view, the lease that
 * caused a build), takes the capacity its configuration's {@code sizedTo} names while activating, and
 * reads the secret its configuration's {@code token} refers to while allocating (recording only its
 * length). It declares the attribute {@code size=large}, so leases may ask for it.
 */
final class ContextBlueprint extends InertBlueprint<ContextBlueprint.Config> {
    /** {@code capacity}: leases per resource by default; {@code sizedTo}: what activation sets instead; {@code token}: a secret reference. */
    record Config(Integer capacity, Integer sizedTo, String token) {}

    /** What one step was shown. */
    record Seen(String step, ResourceView resource, Optional<LeaseView> cause) {}

    final List<Seen> seen = new CopyOnWriteArrayList<>();

    @Override
    public String type() {
        return "context";
    }

    @Override
    public String resourceType() {
        return "context";
    }

    @Override
    public Class<Config> configType() {
        return Config.class;
    }

    @Override
    public List<ConfigProblem> validate(Config config) {
        return List.of();
    }

    @Override
    public List<ConfigProblem> validate(Config config, SecretResolver secrets) {
        if (config.token() == null) {
            return List.of();
        }
        try {
            secrets.resolve(config.token());
            return List.of();
        } catch (SecretUnavailableException e) {
            return List.of(new ConfigProblem("token", e.getMessage()));
        }
    }

    @Override
    public int capacity(Config config) {
        return config.capacity() == null ? 1 : config.capacity();
    }

    @Override
    public Map<String, String> attributes(Config config) {
        return Map.of("size", "large");
    }

    @Override
    public Progress allocate(Config config, ResourceContext resource) {
        seen.add(new Seen("allocate", resource.resource(), resource.cause()));
        if (config.token() != null) {
            resource.setAttribute("token-length", Integer.toString(resource.secret(config.token()).length()));
        }
        return Progress.done();
    }

    @Override
    public Progress activate(Config config, ResourceContext resource) {
        seen.add(new Seen("activate", resource.resource(), resource.cause()));
        if (config.sizedTo() != null) {
            resource.setCapacity(config.sizedTo());
        }
        return Progress.done();
    }

    @Override
    public Progress acquireLease(Config config, ResourceContext resource, LeaseContext lease) {
        seen.add(new Seen("acquireLease", resource.resource(), resource.cause()));
        return Progress.done();
    }

    @Override
    public Progress destroy(Config config, ResourceContext resource) {
        seen.add(new Seen("destroy", resource.resource(), resource.cause()));
        return Progress.done();
    }

    List<Seen> seen(String step) {
        return seen.stream().filter(s -> s.step().equals(step)).toList();
    }
}
