package dev.drydock.api;

import java.util.EnumSet;
import java.util.Set;

/**
 * Where a resource is in its life: {@code PENDING → ACTIVE → RELEASED → DESTROYED}, and
 * {@code BROKEN} from PENDING or ACTIVE (then DESTROYED).
 */
public enum ResourceStatus {
    PENDING, ACTIVE, RELEASED, BROKEN, DESTROYED;

    public boolean canMoveTo(ResourceStatus next) {
        return successors().contains(next);
    }

    public Set<ResourceStatus> successors() {
        return switch (this) {
            case PENDING -> EnumSet.of(ACTIVE, BROKEN, RELEASED);
            case ACTIVE -> EnumSet.of(RELEASED, BROKEN);
            case RELEASED, BROKEN -> EnumSet.of(DESTROYED);
            case DESTROYED -> EnumSet.noneOf(ResourceStatus.class);
        };
    }
}
