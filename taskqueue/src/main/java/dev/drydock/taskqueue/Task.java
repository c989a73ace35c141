package dev.drydock.taskqueue;

import java.time.Instant;

/**
 * A task as its handler sees it while it runs.
 *
 * @param id          stable for the task's whole life, across retries and archive
 * @param kind        the handler's kind
 * @param payload     the JSON text exactly as enqueued (stored as {@code json}, not re-rendered)
 * @param attempt     1 on the first execution; a yield does not count, a crash does
 * @param maxAttempts the last attempt a retryable failure is allowed
 * @param createdAt   when it was first enqueued (database clock)
 */
public record Task(long id, String kind, String payload, int attempt, int maxAttempts, Instant createdAt) {
    /** True when a retryable failure of this execution will not be retried. */
    public boolean isLastAttempt() {
        return attempt >= maxAttempts;
    }
}
