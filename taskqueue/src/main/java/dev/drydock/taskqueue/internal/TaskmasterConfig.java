package dev.drydock.taskqueue.internal;

import dev.drydock.taskqueue.TaskHandler;
import java.time.Duration;
import java.util.Map;

/** The effective, validated settings of one taskmaster. */
public record TaskmasterConfig(
        String id,
        int threads,
        Duration leaseDuration,
        Duration pollInterval,
        Duration shutdownTimeout,
        Map<String, TaskHandler> handlers) {
    public TaskmasterConfig {
        handlers = Map.copyOf(handlers);
    }

    /** How often running tasks' leases are extended: three times per lease. */
    Duration heartbeatInterval() {
        return leaseDuration.dividedBy(3);
    }
}
