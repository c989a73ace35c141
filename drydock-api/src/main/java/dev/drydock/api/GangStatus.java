package dev.drydock.api;

/**
 * Where a gang of leases is ({@link Gang}): {@code WAITING} holds nothing and waits for room for all
 * of its members; {@code RESERVED} has every member's place (room on a resource, or a resource being
 * built for it) and its members are being prepared; {@code ACTIVE} has all members ACTIVE; it ends
 * {@code ENDED} once every member ended after being active, or {@code BROKEN} (every member broken,
 * the reason says why) at its deadline, on a refusal that waiting cannot cure, or when a member was
 * released before the gang was active.
 */
public enum GangStatus {
    WAITING, RESERVED, ACTIVE, BROKEN, ENDED;

    /** Whether the gang is over: its members never become active (BROKEN) or have been (ENDED). */
    public boolean isDone() {
        return this == BROKEN || this == ENDED;
    }
}
