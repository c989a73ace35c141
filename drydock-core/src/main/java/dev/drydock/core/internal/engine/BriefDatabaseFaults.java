package dev.drydock.core.internal.engine;

import dev.drydock.core.internal.failure.DatabaseFailures;
import dev.drydock.taskqueue.BatchTaskHandler;
import dev.drydock.taskqueue.PermanentTaskFailure;
import dev.drydock.taskqueue.TaskHandler;
import dev.drydock.taskqueue.TaskOutcome;
import java.util.Collections;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drydock's task handlers as its taskmaster runs them: a database failure that escapes a handler (a
 * connection lost mid-step, a server restarting) becomes the retry it would have been anyway, but
 * with a one-line error ({@link DatabaseFailures#brief}) instead of the library's message, which
 * quotes the whole statement into the taskmaster's log line and the task's archived error. Anything
 * else passes unchanged; the full failure is logged at DEBUG.
 */
public final class BriefDatabaseFaults {
    private static final Logger log = LoggerFactory.getLogger(BriefDatabaseFaults.class);

    private BriefDatabaseFaults() {}

    public static TaskHandler handler(TaskHandler handler) {
        return task -> {
            try {
                return handler.handle(task);
            } catch (RuntimeException e) {
                return TaskOutcome.retry(briefOrRethrow(e));
            }
        };
    }

    public static BatchTaskHandler batch(BatchTaskHandler handler) {
        return tasks -> {
            try {
                return handler.handle(tasks);
            } catch (RuntimeException e) {
                return Collections.nCopies(tasks.size(), TaskOutcome.retry(briefOrRethrow(e)));
            }
        };
    }

    private static String briefOrRethrow(RuntimeException e) {
        if (e instanceof PermanentTaskFailure) {
            throw e;
        }
        String brief = DatabaseFailures.brief(e).orElseThrow(() -> e);
        log.debug("a task handler failed: {}", brief, e);
        return brief;
    }
}
