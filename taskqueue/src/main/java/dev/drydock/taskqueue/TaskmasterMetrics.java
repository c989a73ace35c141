package dev.drydock.taskqueue;

/**
 * Counts of what one taskmaster did since it started.
 *
 * @param claimed     runs started (including re-runs of tasks whose worker died)
 * @param succeeded   runs that succeeded (archived, or deleted for a kind whose successes are forgotten)
 * @param failed      runs archived as failed (permanent, or out of attempts)
 * @param retried     retryable failures put back in the queue with backoff
 * @param yielded     runs that yielded
 * @param lost        outcomes discarded because the run's lease had expired and another took it
 * @param handedBack  runs returned to the queue unfinished at shutdown
 * @param running     runs in progress now
 */
public record TaskmasterMetrics(long claimed, long succeeded, long failed, long retried, long yielded, long lost,
                                long handedBack, int running) {}
