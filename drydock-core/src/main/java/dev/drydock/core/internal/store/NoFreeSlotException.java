package dev.drydock.core.internal.store;

/**
 * Every slot of a slot blueprint is taken ({@link ResourceStore#insertBuild}): thrown inside the
 * build's transaction so that the limit place and the resource row roll back with it.
 */
public final class NoFreeSlotException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int slots;

    NoFreeSlotException(int slots) {
        super(null, null, false, false);
        this.slots = slots;
    }

    /** How many slots the blueprint has, all in use. */
    public int slots() {
        return slots;
    }
}
