package dev.drydock.taskqueue;

import java.util.List;

/**
 * Runs tasks of one kind several at a time, for work whose cost is mostly per round trip: one call
 * can serve a whole batch with a few statements instead of a few statements per task.
 *
 * <p>The taskmaster hands a batch whatever one claim brought of the kind (at least one task, at
 * most its free handler slots at that moment). While a batch of the kind runs, new tasks of the
 * kind wait in the queue and form the next batch, so under load batches grow by themselves, and a
 * lone task still starts at once. A further batch (up to the number registered for the kind)
 * starts only when every running one has run for 50 ms: quick batches stay large, and a slow one
 * holds the rest of its kind up for 50 ms, not for as long as it takes.
 *
 * <p>Everything {@link TaskHandler} says holds for each task of a batch: at-least-once execution,
 * one run at a time per serialization key (a claim never brings two tasks of one key), heartbeats
 * while the batch runs. A batch that throws retries every task in it ({@link PermanentTaskFailure}
 * fails every task in it for good), so a handler should turn a problem of one task into that task's
 * outcome.
 */
@FunctionalInterface
public interface BatchTaskHandler {
    /**
     * Runs {@code tasks} and returns one outcome per task, in the same order; a list of another
     * size is a bug and retries every task of the batch.
     */
    List<TaskOutcome> handle(List<Task> tasks);
}
