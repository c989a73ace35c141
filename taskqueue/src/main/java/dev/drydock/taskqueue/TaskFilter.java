package dev.drydock.taskqueue;

import java.util.Objects;
import java.util.Optional;

/**
 * Which tasks {@link TaskQueue#list(TaskFilter)} returns: newest first, at most {@code limit}.
 *
 * @param state empty for any state
 * @param kind  empty for any kind
 */
public record TaskFilter(Optional<TaskState> state, Optional<String> kind, int limit) {
    public TaskFilter {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(kind, "kind");
        if (limit < 1 || limit > 100_000) {
            throw new IllegalArgumentException("limit must be 1 to 100000, was " + limit);
        }
    }

    public static TaskFilter all() {
        return new TaskFilter(Optional.empty(), Optional.empty(), 100);
    }

    public TaskFilter withState(TaskState s) {
        return new TaskFilter(Optional.of(s), kind, limit);
    }

    public TaskFilter withKind(String k) {
        return new TaskFilter(state, Optional.of(k), limit);
    }

    public TaskFilter withLimit(int n) {
        return new TaskFilter(state, kind, n);
    }
}
