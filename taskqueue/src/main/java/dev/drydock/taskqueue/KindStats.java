package dev.drydock.taskqueue;

import java.time.Duration;

/**
 * Live tasks of one kind.
 *
 * @param queued        queued, whether ready or delayed
 * @param ready         queued and due now
 * @param running       claimed by a taskmaster
 * @param oldestReady   how long the longest-waiting ready task has been due; zero when none
 * @param handled       whether some live taskmaster has a handler for this kind
 */
public record KindStats(String kind, long queued, long ready, long running, Duration oldestReady, boolean handled) {}
