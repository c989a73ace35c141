package dev.drydock.taskqueue.internal;

import dev.drydock.taskqueue.BatchTaskHandler;
import dev.drydock.taskqueue.TaskHandler;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/** The effective, validated settings of one taskmaster. */
public record TaskmasterConfig(
        String id,
        int threads,
        Duration leaseDuration,
        Duration pollInterval,
        Duration shutdownTimeout,
        Map<String, TaskHandler> handlers,
        Map<String, Batched> batchHandlers,
        Set<String> forgottenSuccesses,
        boolean prefetch) {
    public TaskmasterConfig {
        handlers = Map.copyOf(handlers);
        batchHandlers = Map.copyOf(batchHandlers);
        forgottenSuccesses = Set.copyOf(forgottenSuccesses);
    }

    /** A kind run in batches, with how many of its batches may run at once. */
    public record Batched(BatchTaskHandler handler, int batchesAtOnce) {}

    /** Every kind this taskmaster runs, one way or the other. */
    public Stream<String> kinds() {
        return Stream.concat(handlers.keySet().stream(), batchHandlers.keySet().stream());
    }

    /** How often running tasks' leases are extended: three times per lease. */
    Duration heartbeatInterval() {
        return leaseDuration.dividedBy(3);
    }
}
