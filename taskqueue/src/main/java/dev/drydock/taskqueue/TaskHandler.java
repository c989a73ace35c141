package dev.drydock.taskqueue;

/**
 * Runs tasks of one kind. Called on a virtual thread; may block on I/O. Execution is at least once:
 * a task whose taskmaster dies mid-run runs again elsewhere, so a handler must be safe to repeat.
 * A handler that runs longer than the taskmaster's lease is kept alive by heartbeats; one that
 * ignores interruption after shutdown's timeout is abandoned and its task handed back.
 */
@FunctionalInterface
public interface TaskHandler {
    TaskOutcome handle(Task task);
}
