package dev.drydock.taskqueue;

import java.time.Instant;
import java.util.List;

/** A live taskmaster as recorded in the database. */
public record TaskmasterInfo(String id, String host, long pid, int threads, List<String> kinds, Instant startedAt, Instant heartbeatAt) {
    public TaskmasterInfo {
        kinds = List.copyOf(kinds);
    }
}
