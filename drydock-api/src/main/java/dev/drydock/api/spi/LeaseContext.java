package dev.drydock.api.spi;

import java.util.List;
import java.util.Optional;

/**
 * What a blueprint may do while working on one lease of a resource. The engine provides it;
 * blueprints never implement it.
 */
public interface LeaseContext {
    LeaseView lease();

    /**
     * Records a fact on the lease, e.g. the directory it works in, or what is needed to stop a
     * server it started (its port and pid). Stored with the step's outcome, also when the step says
     * check again; never a secret.
     */
    void setAttribute(String name, String value);

    void log(String message);

    /**
     * Takes one of {@code choices} (in preference order) for this lease alone among the leases of
     * this resource: a port for the lease's server, say. Unlike attributes it is stored at once, in a
     * short transaction of its own, so the step can use it before it returns. It stays the lease's
     * until the lease is cleaned up (DESTROYED), and steps are retried, so asking again for the same
     * {@code group} returns the one the lease holds, even if it is no longer among {@code choices}.
     * Slots of different groups, or of different resources, never exclude each other.
     *
     * <p>Call it from {@link BlueprintImplementation#acquireLease}. Empty when every choice is
     * held by another lease of the resource, or when the lease no longer holds its share of this
     * resource (released meanwhile, its resource broke, or a blueprint that acquires leases ahead
     * has not had its share taken yet): return {@link Progress#checkAgainIn} saying what the lease
     * waits for, and the engine asks again after the delay, or as soon as the clean-up of another
     * lease of the resource frees a slot, or cleans the lease up. The acquire deadline still holds.
     *
     * @param group   what kind of slot, e.g. {@code port}: letters, digits, {@code . _ -} only
     * @param choices the slots to choose from, e.g. the ports of the blueprint's range; at least one
     * @throws dev.drydock.api.InvalidRequestException a bad group or choice, naming it
     */
    Optional<String> takeSlot(String group, List<String> choices);
}
