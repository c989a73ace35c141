package dev.drydock.core;

import dev.drydock.api.FilesystemInterface;
import dev.drydock.api.InterfaceNotSupportedException;
import dev.drydock.api.LeaseRequest;
import dev.drydock.api.spi.ConfigProblem;
import dev.drydock.api.spi.LeaseContext;
import dev.drydock.api.spi.Progress;
import dev.drydock.api.spi.ResourceContext;
import dev.drydock.api.spi.ResourceView;
import dev.drydock.api.spi.SubLease;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * A test blueprint whose resources stand on another resource (DESIGN §11): its build takes the
 * sub-lease {@code base} of the configured type, waits for it with a delay far longer than any test
 * (so only the engine's wake-up brings the build back), and, when the base offers a filesystem,
 * writes a file into the base lease's directory through it. Keeps no idle resources.
 */
final class StackBlueprint extends InertBlueprint<StackBlueprint.Config> {
    /** How long the build says to wait for its base: a test that passes in less saw the wake-up. */
    static final Duration PATIENCE = Duration.ofMinutes(10);

    record Config(String baseType, int capacity) {}

    private final String type;
    private final String resourceType;

    StackBlueprint(String type, String resourceType) {
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
        return config.baseType() == null ? List.of(new ConfigProblem("baseType", "is required")) : List.of();
    }

    @Override
    public int capacity(Config config) {
        return config.capacity();
    }

    @Override
    public Progress allocate(Config config, ResourceContext resource) {
        resource.lease("base", LeaseRequest.builder(config.baseType()).build());
        return Progress.checkAgainIn(PATIENCE, "its base");
    }

    @Override
    public Progress activate(Config config, ResourceContext resource) {
        SubLease base = resource.subLease("base").orElseThrow();
        if (!base.isActive()) {
            return Progress.checkAgainIn(PATIENCE, "its base, lease " + base.id() + ": " + base.statusReason());
        }
        try {
            base.getInterface(FilesystemInterface.class).write("stack-" + resource.resource().id(),
                    ("built on lease " + base.id()).getBytes(StandardCharsets.UTF_8));
            resource.setAttribute("base.directory", base.leaseAttributes().getOrDefault("directory", ""));
        } catch (InterfaceNotSupportedException e) {
            // a base without a filesystem: nothing to write
        }
        return Progress.done();
    }

    @Override
    public Progress acquireLease(Config config, ResourceContext resource, LeaseContext lease) {
        return Progress.done();
    }

    @Override
    public boolean shouldKeep(Config config, ResourceView resource, Duration idleFor) {
        return false;
    }
}
