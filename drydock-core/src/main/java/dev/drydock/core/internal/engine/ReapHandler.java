package dev.drydock.core.internal.engine;

import dev.drydock.api.spi.Reaper;
import dev.drydock.core.internal.blueprint.BlueprintRegistry;
import dev.drydock.core.internal.store.BlueprintRow;
import dev.drydock.core.internal.store.BlueprintStore;
import dev.drydock.core.internal.store.ReapStore;
import dev.drydock.taskqueue.Task;
import dev.drydock.taskqueue.TaskHandler;
import dev.drydock.taskqueue.TaskOutcome;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A blueprint's reaper: a perpetual task (one per blueprint, {@link Tasks#startReaper}) that runs a
 * {@link ReapPass} and yields for the blueprint's reap interval, so a pass never runs sooner than an
 * interval after the previous one. It ends only when its blueprint is deleted. A blueprint whose
 * current configuration offers no reaper just waits an interval and asks again. Whatever fails in a
 * pass is recorded for {@code status} and tried on the next; the task is never given up.
 */
public final class ReapHandler implements TaskHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ReapHandler.class);
    /** The interval of a blueprint whose configuration cannot be read; the SPI's default. */
    static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(5);
    static final Duration MIN_INTERVAL = Duration.ofSeconds(1);
    private final Engine engine;

    public ReapHandler(Engine engine) {
        this.engine = engine;
    }

    @Override
    public TaskOutcome handle(Task task) {
        long blueprintId = Tasks.id(task.payload());
        Optional<BlueprintRow> found = engine.jdbi().withHandle(h -> BlueprintStore.liveById(h, blueprintId));
        if (found.isEmpty()) {
            engine.jdbi().useHandle(h -> ReapStore.forget(h, blueprintId));
            return TaskOutcome.success(); // deleted: its resources were all destroyed first
        }
        BlueprintRow blueprint = found.get();
        BlueprintRegistry.Configured current;
        Duration interval;
        Optional<Reaper> reaper;
        try {
            current = engine.configured(blueprint);
            interval = interval(current);
            reaper = Engine.impl(current).reaper(current.config(), engine.secrets());
        } catch (RuntimeException e) {
            String error = "its reaper could not start: " + StepFailure.describe(e) + "; trying again in "
                    + DEFAULT_INTERVAL.toMinutes() + " minutes (if its stored configuration is refused, fix it with drydock-control blueprint update)";
            LOG.warn("blueprint {}: {}", blueprint.name(), error, e);
            engine.jdbi().useHandle(h -> ReapStore.passed(h, blueprint.id(), Optional.of(error)));
            return TaskOutcome.yieldFor(DEFAULT_INTERVAL);
        }
        if (reaper.isPresent()) {
            new ReapPass(engine, blueprint, current, reaper.get(), interval).run();
        } else {
            // none now (or no longer, after an edit): nothing waits for a second pass, and no error stands
            engine.jdbi().useHandle(h -> ReapStore.forget(h, blueprint.id()));
        }
        return TaskOutcome.yieldFor(interval);
    }

    /** The blueprint's interval, at least {@link #MIN_INTERVAL}. */
    static Duration interval(BlueprintRegistry.Configured c) {
        Duration asked = Engine.impl(c).reapInterval(c.config());
        return asked == null || asked.compareTo(MIN_INTERVAL) < 0 ? MIN_INTERVAL : asked;
    }
}
