package dev.drydock.api.spi;

import dev.drydock.api.LeaseRequest;
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

    /**
     * The resource's current sub-lease named {@code name}, or a new one asking for {@code request}
     * (DESIGN §11). A step is repeated, so asking again by the same name returns the same lease, as
     * it is now, whatever {@code request} says. Taken while the resource is built ({@code allocate},
     * {@code activate}) or a lease of it is prepared ({@code acquireLease}); the new lease is
     * stored at once (intent before action), owned by this resource. While it is not ACTIVE the step
     * returns {@link Progress#checkAgainIn}: the engine runs the step again as soon as the sub-lease
     * becomes ACTIVE, BROKEN or RELEASED, so a long delay costs nothing.
     *
     * <p>One taken in {@code acquireLease} serves that lease alone (a web root's checkout for one of
     * its leases): its end never breaks this resource. The lease's step sees it as it is when run
     * again (return {@link Progress#failed} if it broke), and an ACTIVE lease whose sub-lease breaks
     * or is released by someone else breaks, naming the chain. Release it in {@code releaseLease};
     * the resource's destruction releases it otherwise.
     *
     * @throws dev.drydock.api.InvalidRequestException {@code name} is blank or longer than 100
     *         characters, or leasing {@code request}'s resource type would make a cycle (this
     *         resource is itself built for, or leased by, a resource of that type)
     * @throws IllegalStateException called in another step
     */
    SubLease lease(String name, LeaseRequest request);

    /** The resource's current sub-lease named {@code name}, if it has one; in any step. */
    Optional<SubLease> subLease(String name);

    /**
     * Releases the current sub-lease named {@code name}, if there is one (its name is free again at
     * once); a release by its owner never breaks the owner. Stored at once. The engine releases
     * every sub-lease when the resource is destroyed, so a blueprint releases one itself only when
     * it is done with it earlier, e.g. in {@code releaseLease} for one taken per lease.
     */
    void releaseSubLease(String name);
}
