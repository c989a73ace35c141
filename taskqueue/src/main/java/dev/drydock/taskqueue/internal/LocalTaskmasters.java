package dev.drydock.taskqueue.internal;

import java.util.Collection;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;

/**
 * The taskmasters running in this JVM, each with the data source it works and the kinds it runs.
 * An enqueue through a {@code TaskQueue} on the same data source (the same object) rings them once
 * its tasks are committed, so they claim at once: without this a task reaches them through a
 * {@code NOTIFY} (sent only while one sleeps) or their next look. A ring is only a shortcut: the
 * database's wake-ups still reach every process, including this one, so a missed or needless ring
 * costs time, never a task.
 */
public final class LocalTaskmasters {
    private static final CopyOnWriteArrayList<Local> RUNNING = new CopyOnWriteArrayList<>();

    private LocalTaskmasters() {}

    private record Local(DataSource dataSource, Set<String> kinds, Wakeup wakeup) {}

    /** {@code wakeup} is rung, until {@link #unregister}ed, for committed tasks of {@code kinds} enqueued on {@code dataSource}. */
    public static void register(DataSource dataSource, Set<String> kinds, Wakeup wakeup) {
        RUNNING.add(new Local(Objects.requireNonNull(dataSource, "dataSource"), Set.copyOf(kinds), wakeup));
    }

    public static void unregister(Wakeup wakeup) {
        RUNNING.removeIf(local -> local.wakeup == wakeup);
    }

    /** Tasks of {@code kinds}, due now, are committed on {@code dataSource}: ring the taskmasters here that run them. */
    public static void committed(DataSource dataSource, Collection<String> kinds) {
        for (Local local : RUNNING) {
            if (local.dataSource == dataSource && kinds.stream().anyMatch(local.kinds::contains)) {
                local.wakeup.enqueued();
            }
        }
    }

    /** Tasks of unknown kinds are committed on {@code dataSource}: ring every taskmaster here that works it. */
    public static void committed(DataSource dataSource) {
        for (Local local : RUNNING) {
            if (local.dataSource == dataSource) {
                local.wakeup.enqueued();
            }
        }
    }
}
