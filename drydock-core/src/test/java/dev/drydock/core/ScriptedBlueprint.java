package dev.drydock.core;

import dev.drydock.api.spi.ConfigProblem;
import dev.drydock.api.spi.LeaseContext;
import dev.drydock.api.spi.Progress;
import dev.drydock.api.spi.ResourceContext;
import dev.drydock.api.spi.ResourceView;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test blueprint whose steps a test scripts while it runs: throw from a step, keep a build or a
 * lease's preparation answering "check again", refuse to keep idle resources. Its configuration
 * is its capacity and, optionally, its build timeout ({@code {"capacity": 1, "buildTimeoutMs": 1500}}).
 */
final class ScriptedBlueprint extends InertBlueprint<ScriptedBlueprint.Config> {
    record Config(int capacity, long buildTimeoutMs) {}

    final AtomicBoolean allocateThrows = new AtomicBoolean();
    final AtomicBoolean destroyThrows = new AtomicBoolean();
    final AtomicBoolean acquireChecksAgain = new AtomicBoolean();
    final AtomicBoolean shouldKeepThrows = new AtomicBoolean();
    final AtomicBoolean keepsIdle = new AtomicBoolean(true);
    /** How many of the next builds answer "check again" for good. */
    final AtomicInteger buildsToHang = new AtomicInteger();
    final Set<Long> hanging = ConcurrentHashMap.newKeySet();
    final AtomicInteger shouldKeepCalls = new AtomicInteger();
    private final String type;
    private final String resourceType;

    ScriptedBlueprint(String type, String resourceType) {
        this.type = type;
        this.resourceType = resourceType;
    }

    @Override
    public String type() {
        return type;
    }

    @Override
    public String resourceType() {
        return resourceType;
    }

    @Override
    public Class<Config> configType() {
        return Config.class;
    }

    @Override
    public List<ConfigProblem> validate(Config config) {
        return config.capacity() < 1 ? List.of(new ConfigProblem("capacity", "must be at least 1, was " + config.capacity())) : List.of();
    }

    @Override
    public int capacity(Config config) {
        return config.capacity();
    }

    @Override
    public Duration buildTimeout(Config config) {
        return config.buildTimeoutMs() > 0 ? Duration.ofMillis(config.buildTimeoutMs()) : super.buildTimeout(config);
    }

    @Override
    public Progress allocate(Config config, ResourceContext resource) {
        if (allocateThrows.get()) {
            throw new IllegalStateException("the cloud says: request limit exceeded");
        }
        if (buildsToHang.getAndUpdate(n -> Math.max(n - 1, 0)) > 0) {
            hanging.add(resource.resource().id());
        }
        return Progress.done();
    }

    @Override
    public Progress activate(Config config, ResourceContext resource) {
        return hanging.contains(resource.resource().id()) ? Progress.checkAgainIn(Duration.ofMillis(200), "the machine to boot")
                : Progress.done();
    }

    @Override
    public Progress acquireLease(Config config, ResourceContext resource, LeaseContext lease) {
        return acquireChecksAgain.get() ? Progress.checkAgainIn(Duration.ofMillis(200), "the disk to attach") : Progress.done();
    }

    @Override
    public Progress destroy(Config config, ResourceContext resource) {
        if (destroyThrows.get()) {
            throw new IllegalStateException("the host does not answer");
        }
        return Progress.done();
    }

    @Override
    public boolean shouldKeep(Config config, ResourceView resource, Duration idleFor) {
        shouldKeepCalls.incrementAndGet();
        if (shouldKeepThrows.get()) {
            throw new IllegalStateException("keep-or-not lookup failed");
        }
        return keepsIdle.get();
    }
}
