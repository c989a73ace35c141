package dev.drydock.api.spi;

import java.time.Duration;
import java.util.Objects;

/**
 * Where a slow step stands. A blueprint never sleeps a worker thread waiting for a cloud: it says
 * {@link CheckAgainIn} and the engine calls it again later, with the worker free meanwhile.
 */
public sealed interface Progress {
    record Done() implements Progress {}

    /** Not finished; ask again after {@code delay}. {@code waitingFor} is shown to operators. */
    record CheckAgainIn(Duration delay, String waitingFor) implements Progress {
        public CheckAgainIn {
            Objects.requireNonNull(delay, "delay");
            Objects.requireNonNull(waitingFor, "waitingFor");
        }
    }

    /** Failed for good; the engine breaks the resource or lease with this reason. */
    record Failed(String reason) implements Progress {
        public Failed {
            Objects.requireNonNull(reason, "reason");
        }
    }

    static Progress done() {
        return new Done();
    }

    static Progress checkAgainIn(Duration delay, String waitingFor) {
        return new CheckAgainIn(delay, waitingFor);
    }

    static Progress failed(String reason) {
        return new Failed(reason);
    }
}
