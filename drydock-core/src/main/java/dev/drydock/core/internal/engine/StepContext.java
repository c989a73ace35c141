package dev.drydock.core.internal.engine;

import dev.drydock.api.spi.LeaseContext;
import dev.drydock.api.spi.LeaseView;
import dev.drydock.api.spi.ResourceContext;
import dev.drydock.api.spi.ResourceView;
import dev.drydock.core.internal.secrets.Secrets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a blueprint step records: attributes and log lines are collected while the blueprint runs
 * (outside any transaction) and written in the transaction that stores the step's outcome.
 */
final class StepContext implements ResourceContext, LeaseContext {
    private final ResourceView resource;
    private final LeaseView lease;
    final Map<String, String> resourceAttributes = new TreeMap<>();
    final Map<String, String> leaseAttributes = new TreeMap<>();
    final List<String> logLines = new ArrayList<>();

    StepContext(ResourceView resource, LeaseView lease) {
        this.resource = resource;
        this.lease = lease;
    }

    @Override
    public ResourceView resource() {
        return resource;
    }

    @Override
    public LeaseView lease() {
        if (lease == null) {
            throw new IllegalStateException("this step concerns resource " + resource.id() + " only");
        }
        return lease;
    }

    @Override
    public void setAttribute(String name, String value) {
        if (lease != null) {
            leaseAttributes.put(name, value);
        } else {
            resourceAttributes.put(name, value);
        }
    }

    ResourceContext forResource() {
        return new ResourceContext() {
            @Override
            public ResourceView resource() {
                return resource;
            }

            @Override
            public void setAttribute(String name, String value) {
                resourceAttributes.put(name, value);
            }

            @Override
            public void log(String message) {
                logLines.add(message);
            }

            @Override
            public String secret(String reference) {
                return Secrets.resolve(reference);
            }
        };
    }

    @Override
    public void log(String message) {
        logLines.add(message);
    }

    @Override
    public String secret(String reference) {
        return Secrets.resolve(reference);
    }
}
