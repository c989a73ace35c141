package dev.drydock.api.spi;

import java.util.Optional;

/**
 * What a blueprint may do while working on a resource. Attribute, capacity and log writes are
 * stored in the same transaction as the step's outcome, so a step that fails leaves no
 * half-recorded state. The engine provides it; blueprints never implement it.
 */
public interface ResourceContext {
    /** The most leases one resource may hold, for {@link #setCapacity}. */
    int MAX_CAPACITY = 1_000_000;

    ResourceView resource();

    /** Records a fact on the resource (visible to operators: never a secret). */
    void setAttribute(String name, String value);

    /** Adds a line to the resource's log, shown by {@code drydock-control logs}. */
    void log(String message);

    /**
     * Resolves a secret reference ({@code env:NAME}, {@code file:PATH}, or a scheme the application
     * registered); the value is never logged.
     *
     * @throws dev.drydock.api.SecretUnavailableException naming the reference, never the value
     */
    String secret(String reference);

    /**
     * While the resource is built ({@link BlueprintImplementation#allocate} and
     * {@link BlueprintImplementation#activate}), the lease whose request made the engine build it,
     * as it is now (it may have been released or placed elsewhere since): what it asked for can
     * shape the build, such as an instance size. Empty in every other step, and for a resource
     * built for no lease.
     */
    Optional<LeaseView> cause();

    /**
     * While the resource is built, sets how many leases it holds at once once it is ACTIVE,
     * replacing {@link BlueprintImplementation#capacity} for this resource (e.g. from the instance
     * size it got). Stored with the step's outcome; the last value set during the build holds, and
     * the engine keeps the resource's leases within it.
     *
     * @throws dev.drydock.api.InvalidRequestException {@code leases} is not 1 to {@link #MAX_CAPACITY}
     * @throws IllegalStateException called outside a build step
     */
    void setCapacity(int leases);
}
