package dev.drydock.core.internal.engine;

import dev.drydock.api.InvalidRequestException;
import dev.drydock.api.LeaseRequest;
import dev.drydock.api.spi.LeaseContext;
import dev.drydock.api.spi.LeaseView;
import dev.drydock.api.spi.ResourceContext;
import dev.drydock.api.spi.ResourceView;
import dev.drydock.api.spi.SecretResolver;
import dev.drydock.api.spi.SubLease;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What a blueprint step records: attributes, a build's capacity and log lines are collected while
 * the blueprint runs (outside any transaction) and written in the transaction that stores the
 * step's outcome.
 */
final class StepContext implements ResourceContext, LeaseContext {
    private final ResourceView resource;
    private final LeaseView lease;
    private final SecretResolver secrets;
    private final SubLeases subLeases;
    /** Whether the step may take sub-leases: a build, or preparing a lease. */
    private boolean mayLease;
    /** Present only in a build step: the lease the resource is built for, if its row was found. */
    private Optional<LeaseView> cause = Optional.empty();
    private boolean building;
    private volatile Integer capacity;
    /** Where a step on a lease takes its slots; set by the engine. */
    private LeaseSlots slots;
    final Map<String, String> resourceAttributes = new TreeMap<>();
    final Map<String, String> leaseAttributes = new TreeMap<>();
    final List<String> logLines = new ArrayList<>();

    StepContext(ResourceView resource, LeaseView lease, SecretResolver secrets, SubLeases subLeases) {
        this.resource = resource;
        this.lease = lease;
        this.secrets = secrets;
        this.subLeases = subLeases;
    }

    /**
     * Makes this the context of a build step, which may set the capacity, take sub-leases, and
     * sees the lease it builds for.
     */
    StepContext building(Optional<LeaseView> cause) {
        this.building = true;
        this.mayLease = true;
        this.cause = cause;
        return this;
    }

    /** Makes this the context of a lease being prepared, which may take sub-leases. */
    StepContext acquiring() {
        this.mayLease = true;
        return this;
    }

    /** Lets a step on a lease take slots for it ({@link #takeSlot}). */
    StepContext takingSlotsWith(LeaseSlots slots) {
        this.slots = slots;
        return this;
    }

    /** The capacity the build set, if it set one. */
    Optional<Integer> capacity() {
        return Optional.ofNullable(capacity);
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

    @Override
    public Optional<LeaseView> cause() {
        return cause;
    }

    @Override
    public void setCapacity(int leases) {
        if (!building) {
            throw new IllegalStateException("resource " + resource.id() + "'s capacity can be set only while it is built (allocate, activate)");
        }
        if (leases < 1 || leases > MAX_CAPACITY) {
            throw new InvalidRequestException("capacity", "must be 1 to " + MAX_CAPACITY + " leases, was " + leases);
        }
        capacity = leases;
    }

    @Override
    public Optional<String> takeSlot(String group, List<String> choices) {
        return slots.take(resource.id(), lease().id(), group, choices);
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
                return secrets.resolve(reference);
            }

            @Override
            public Optional<LeaseView> cause() {
                return StepContext.this.cause();
            }

            @Override
            public void setCapacity(int leases) {
                StepContext.this.setCapacity(leases);
            }

            @Override
            public SubLease lease(String name, LeaseRequest request) {
                return StepContext.this.lease(name, request);
            }

            @Override
            public Optional<SubLease> subLease(String name) {
                return StepContext.this.subLease(name);
            }

            @Override
            public void releaseSubLease(String name) {
                StepContext.this.releaseSubLease(name);
            }
        };
    }

    @Override
    public SubLease lease(String name, LeaseRequest request) {
        if (!mayLease) {
            throw new IllegalStateException("resource " + resource.id() + " can take sub-leases only while it is built (allocate, activate)"
                    + " or a lease of it is prepared (acquireLease)");
        }
        return subLeases.take(name, request);
    }

    @Override
    public Optional<SubLease> subLease(String name) {
        return subLeases.find(name);
    }

    @Override
    public void releaseSubLease(String name) {
        subLeases.release(name);
    }

    @Override
    public void log(String message) {
        logLines.add(message);
    }

    @Override
    public String secret(String reference) {
        return secrets.resolve(reference);
    }
}
