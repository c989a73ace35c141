package dev.drydock.server;

import dev.drydock.api.InvalidRequestException;
import java.time.Duration;

/**
 * How much a request that uses a lease may move: the largest file a PUT writes, the most output
 * an exec streams back (the command is killed past it), and the longest timeout an exec may ask for.
 */
record UseLimits(long maxUpload, long maxExecOutput, Duration maxExecTimeout) {
    static final UseLimits DEFAULT = new UseLimits(1L << 30, 16L << 20, Duration.ofHours(1));

    UseLimits {
        positive("maxUpload", maxUpload);
        positive("maxExecOutput", maxExecOutput);
        if (maxExecTimeout.isNegative() || maxExecTimeout.isZero()) {
            throw new InvalidRequestException("maxExecTimeout", "must be positive, was " + maxExecTimeout + "; the default is 1 hour");
        }
    }

    private static void positive(String name, long bytes) {
        if (bytes < 1) {
            throw new InvalidRequestException(name, "must be at least 1 byte, was " + bytes);
        }
    }
}
