package dev.drydock.api;

import java.util.EnumSet;
import java.util.Set;

/**
 * Where a lease is in its life: {@code PENDING → ACQUIRED → ACTIVE → RELEASED → DESTROYED}, and
 * {@code BROKEN} from any state before RELEASED (then DESTROYED). An ACQUIRED lease whose resource
 * broke goes back to PENDING to be acquired elsewhere. The transition table here is the only one.
 */
public enum LeaseStatus {
    PENDING, ACQUIRED, ACTIVE, RELEASED, BROKEN, DESTROYED;

    /** Whether a lease may move from this status to {@code next}. */
    public boolean canMoveTo(LeaseStatus next) {
        return successors().contains(next);
    }

    public Set<LeaseStatus> successors() {
        return switch (this) {
            case PENDING -> EnumSet.of(ACQUIRED, BROKEN, RELEASED);
            case ACQUIRED -> EnumSet.of(ACTIVE, PENDING, BROKEN, RELEASED);
            case ACTIVE -> EnumSet.of(RELEASED, BROKEN);
            case RELEASED, BROKEN -> EnumSet.of(DESTROYED);
            case DESTROYED -> EnumSet.noneOf(LeaseStatus.class);
        };
    }

    /** No further use is possible: the lease is released, broken or destroyed. */
    public boolean isDone() {
        return this == RELEASED || this == BROKEN || this == DESTROYED;
    }
}
