package dev.drydock.testing.ec2;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One API call the fake answered: the action, its parameters (user data replaced by its length, as it
 * may hold secrets), and the outcome, {@code "ok"} or the error code returned.
 */
public record Ec2Call(Instant at, String action, Map<String, String> params, String outcome) {
    public static final String OK = "ok";

    public Ec2Call {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(action, "action");
        params = Map.copyOf(params);
        Objects.requireNonNull(outcome, "outcome");
    }

    public boolean ok() {
        return OK.equals(outcome);
    }
}
