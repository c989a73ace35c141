package dev.drydock.testing.ec2;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * An instance's state with the code and name EC2 reports for it, and the one table of moves the fake
 * makes. There is no start of a stopped instance: the blueprint never asks for one.
 */
public enum InstanceState {
    PENDING(0, "pending"),
    RUNNING(16, "running"),
    SHUTTING_DOWN(32, "shutting-down"),
    TERMINATED(48, "terminated"),
    STOPPING(64, "stopping"),
    STOPPED(80, "stopped");

    private static final Map<InstanceState, Set<InstanceState>> MOVES = Map.of(
            PENDING, EnumSet.of(RUNNING, SHUTTING_DOWN, STOPPING),
            RUNNING, EnumSet.of(SHUTTING_DOWN, STOPPING),
            STOPPING, EnumSet.of(STOPPED, SHUTTING_DOWN),
            STOPPED, EnumSet.of(SHUTTING_DOWN),
            SHUTTING_DOWN, EnumSet.of(TERMINATED),
            TERMINATED, EnumSet.noneOf(InstanceState.class));

    private final int code;
    private final String apiName;

    InstanceState(int code, String apiName) {
        this.code = code;
        this.apiName = apiName;
    }

    public int code() {
        return code;
    }

    /** The name in the API: {@code shutting-down}, not {@code SHUTTING_DOWN}. */
    public String apiName() {
        return apiName;
    }

    public boolean canMoveTo(InstanceState next) {
        return MOVES.get(this).contains(next);
    }

    /** Whether the instance still exists as far as capacity goes: everything short of terminated. */
    public boolean live() {
        return this != TERMINATED;
    }
}
