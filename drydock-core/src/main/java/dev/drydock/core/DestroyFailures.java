package dev.drydock.core;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Resources whose destruction keeps failing: the engine tries again on its backoff for as long as
 * it takes, and each still counts against its blueprint's limit, so operators need to see them.
 *
 * @param count  how many resources are failing to destroy now
 * @param latest the most recently failed of them, newest first, at most as many as asked for
 */
public record DestroyFailures(long count, List<Failing> latest) {
    public DestroyFailures {
        latest = List.copyOf(Objects.requireNonNull(latest, "latest"));
    }

    /** One resource failing to destroy, with its status reason (why it ended, and the latest error). */
    public record Failing(long resourceId, String blueprint, String reason, Instant since) {}
}
