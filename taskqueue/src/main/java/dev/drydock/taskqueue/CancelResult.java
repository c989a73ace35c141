package dev.drydock.taskqueue;

/** What {@link TaskQueue#cancel(long)} did. */
public enum CancelResult {
    /** The task was queued; it is now archived as cancelled and will not run. */
    CANCELLED,
    /** The task is running and cannot be cancelled; it finishes as its handler decides. */
    RUNNING,
    /** The task had already finished. */
    ALREADY_FINISHED,
    /** No task has that id. */
    NOT_FOUND
}
