package dev.drydock.api.spi;

import dev.drydock.api.ResourceInterface;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A kind of resource builder: stateless, registered by type name. The engine wraps every call in
 * its transactions, locking, retries, deadlines and logs; an implementation only answers questions
 * and performs actions on the outside world. Every call may be repeated after a crash, so actions
 * must be idempotent ({@link #destroy} above all).
 *
 * @param <C> the configuration record, read from JSON; validated by {@link #validate} before any use
 */
public interface BlueprintImplementation<C extends Record> {
    /** The type name stored with blueprints, e.g. {@code local-host}. */
    String type();

    /** The resource type it builds, e.g. {@code host}. */
    String resourceType();

    Class<C> configType();

    /** The configuration's fields, for help texts: name, kind, and what each does with its default. */
    default List<ConfigField> configFields() {
        return List.of();
    }

    /**
     * Everything wrong with {@code config}; empty when it is valid. The engine calls it whenever it
     * reads a stored configuration, so it must not depend on the outside world.
     */
    List<ConfigProblem> validate(C config);

    /**
     * Everything wrong with {@code config} when a blueprint is created or its configuration updated,
     * before anything is stored; the place to check that the secrets it refers to can be read
     * ({@code secrets.resolve(config.apiKey())}, turning a
     * {@link dev.drydock.api.SecretUnavailableException} into a {@link ConfigProblem} naming the
     * field). Never called for a stored blueprint, so a secret rotated or removed later fails only
     * the steps that need it. Default: {@link #validate(Record)}.
     */
    default List<ConfigProblem> validate(C config, SecretResolver secrets) {
        return validate(config);
    }

    /** How many leases one resource can hold at once. */
    int capacity(C config);

    /**
     * Attributes every resource of this blueprint has, which a lease may require (see
     * {@link #meetsAttributes}). Facts a blueprint only learns while building (an address, a kernel
     * version) are recorded on the resource for people to read and are not matched. Default: none.
     */
    default Map<String, String> attributes(C config) {
        return Map.of();
    }

    /**
     * Whether this blueprint's resources can meet a lease's requested attributes; the engine asks
     * before {@link #canEverAllocate}, and a blueprint that says no declines the lease with the
     * reason. Default ({@link AttributeMatch}): every requested attribute is among
     * {@link #attributes}, name and value alike, so a lease that requires an attribute no blueprint
     * declares is never served. A blueprint that gives attributes a meaning of its own overrides it.
     */
    default Decision meetsAttributes(C config, Map<String, String> requested) {
        return AttributeMatch.of(requested, attributes(config));
    }

    /** Could this blueprint ever serve the lease, given unlimited room? If not, the lease breaks at once. */
    default Decision canEverAllocate(C config, LeaseView lease) {
        return Decision.yes();
    }

    /** Is it worth building a resource for the lease now? Cheap; may be wrong. */
    default Decision canAllocate(C config, LeaseView lease) {
        return Decision.yes();
    }

    /** Starts building; the resource row already exists. May leave work for {@link #activate}. */
    Progress allocate(C config, ResourceContext resource);

    /** Checks a build in progress; {@link Progress.CheckAgainIn} while it is not ready. */
    default Progress activate(C config, ResourceContext resource) {
        return Progress.done();
    }

    /**
     * Can this active resource take the lease (beyond free capacity, which the engine checks)?
     * Answer from the configuration and the view alone, without I/O: the engine may ask while it
     * holds the resource's row lock (reclaiming idle resources).
     */
    default Decision canAcquire(C config, ResourceView resource, LeaseView lease) {
        return Decision.yes();
    }

    /**
     * Prepares the resource for one lease (e.g. its working directory, or a server on a port taken
     * with {@link LeaseContext#takeSlot}). Record on the lease what {@link #releaseLease} needs to
     * undo it (a server's port and pid): that may run on another taskmaster, or after a restart.
     */
    Progress acquireLease(C config, ResourceContext resource, LeaseContext lease);

    /**
     * Cleans up after one lease; must succeed or be safe to repeat. Called only while the resource
     * is ACTIVE: what leases left on a resource that broke or was released is {@link #destroy}'s.
     */
    void releaseLease(C config, ResourceContext resource, LeaseContext lease);

    /**
     * Whether {@link #acquireLease} is quick, touches only the resource, and is wholly undone by
     * {@link #releaseLease}: then the engine may call it before it takes the lease's share of the
     * resource, and take the share and make the lease ACTIVE in one statement, which saves a round
     * trip to the database and a write of the lease per batch. When {@code acquireLease} returns
     * {@link Progress.Done} without recording resource attributes, the lease still passes through
     * ACQUIRED in its log. When the share is then not taken (the resource filled up, or the lease
     * was released meanwhile), or {@code acquireLease} returned anything else, the engine calls
     * {@code releaseLease} at once (its log lines are not stored) and goes the usual way; if the
     * taskmaster dies in between, what {@code acquireLease} made stays until the resource is
     * destroyed. False (the default): {@code acquireLease} runs only after the share is taken.
     * Ahead of the share, {@link LeaseContext#takeSlot} gives nothing; a blueprint that then says
     * check again is simply taken the usual way.
     */
    default boolean acquiresLeasesAhead(C config) {
        return false;
    }

    /** Tears the resource down. Idempotent: destroying what is gone is done. */
    Progress destroy(C config, ResourceContext resource);

    /**
     * An interface on the resource for one lease, or empty if this blueprint offers none of that type.
     * The context is for resolving secrets; attributes and log lines recorded here are not stored.
     */
    <T extends ResourceInterface> Optional<T> interfaceFor(C config, ResourceContext resource, LeaseView lease, Class<T> type);

    /**
     * Exclusive places a resource can occupy (e.g. the hosts of a pool), in preference order; empty
     * (the default) when resources need none. The engine gives each new resource a free slot, taken
     * in the transaction that creates it, recorded as the resource attribute {@link #SLOT}, and freed
     * when the resource is destroyed; with no free slot, no resource is built. A slot for each lease
     * of a resource (a port) is {@link LeaseContext#takeSlot}.
     */
    default java.util.List<String> slots(C config) {
        return java.util.List.of();
    }

    /** The resource attribute that holds the slot the engine gave a resource. */
    String SLOT = "drydock.slot";

    /**
     * How long a resource may take from its row's insert to ACTIVE, counting every {@code allocate}
     * and {@code activate} (and every one that threw). Past it the engine breaks the resource naming
     * the timeout, destroys it, frees its place in the limit, and the leases waiting for it look
     * elsewhere. 30 minutes by default; a blueprint whose builds take longer (or whose configuration
     * names a timeout) says so here.
     */
    default Duration buildTimeout(C config) {
        return Duration.ofMinutes(30);
    }

    /** How often the engine should call {@link #checkHealth}; zero (the default) for never. */
    default Duration healthCheckInterval(C config) {
        return Duration.ZERO;
    }

    /**
     * Whether an active resource still works. {@link Decision.No} breaks it with the reason: its
     * acquired leases go back to waiting, its active leases break, and it is destroyed.
     */
    default Decision checkHealth(C config, ResourceContext resource) {
        return Decision.yes();
    }

    /**
     * Whether an idle resource is kept for reuse; the engine destroys it when this says no. Answer
     * from the configuration, the view and {@code idleFor} alone, without I/O: the engine asks while
     * it holds the resource's row lock.
     */
    default boolean shouldKeep(C config, ResourceView resource, Duration idleFor) {
        return true;
    }

    /**
     * What finds and destroys objects this blueprint's resources left outside the database, for a
     * blueprint that tags everything it creates ({@link ObjectTags}); empty (the default) for one
     * that leaves nothing outside the database, or whose {@link #destroy} cannot miss anything.
     * Called on every pass of the engine's reaper for this blueprint, with each configuration the
     * pass lists with: the current one and the ones its resources were built with, so objects made
     * before an edit (in the old region) are still found. The resolver reads the secret references
     * in {@code config}. See {@link Reaper} for the rules the engine applies to what it lists.
     */
    default Optional<Reaper> reaper(C config, SecretResolver secrets) {
        return Optional.empty();
    }

    /**
     * How often the engine lists this blueprint's objects (with the current configuration), and the
     * least time an orphan is seen before it is destroyed. 5 minutes by default; at least 1 second
     * (a shorter one is taken as 1 second). Listing often costs calls to the outside world, which may
     * be rate-limited; a long interval leaves an orphan running (and paid for) longer.
     */
    default Duration reapInterval(C config) {
        return Duration.ofMinutes(5);
    }

    /**
     * Releases what this instance holds across steps (SDK clients, connection pools). The
     * {@code Drydock} it is registered on calls it once, from its own {@code close()}, after which
     * no step runs on this instance. Must not throw; the default holds nothing.
     */
    default void close() {
    }
}
