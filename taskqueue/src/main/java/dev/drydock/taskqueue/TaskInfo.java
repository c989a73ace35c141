package dev.drydock.taskqueue;

import java.time.Instant;
import java.util.Optional;

/**
 * A snapshot of one task, live or archived, for operators.
 *
 * @param runAfter    for live tasks, when it became or becomes ready; empty for archived tasks
 * @param owner       the taskmaster that runs (or last ran) it
 * @param finishedAt  set once archived
 * @param lastError   the error of its most recent failed attempt
 */
public record TaskInfo(
        long id,
        String kind,
        TaskState state,
        String payload,
        int priority,
        int attempt,
        int maxAttempts,
        Instant createdAt,
        Optional<Instant> runAfter,
        Optional<Instant> startedAt,
        Optional<Instant> finishedAt,
        Optional<String> owner,
        Optional<String> dedupeKey,
        Optional<String> serialKey,
        Optional<String> lastError) {}
