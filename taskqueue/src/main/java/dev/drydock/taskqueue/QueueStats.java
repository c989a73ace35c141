package dev.drydock.taskqueue;

import java.util.List;

/**
 * The queue at one moment.
 *
 * @param kinds        one entry per kind with live tasks
 * @param taskmasters  live taskmasters (heartbeat within their lease)
 */
public record QueueStats(List<KindStats> kinds, List<TaskmasterInfo> taskmasters) {
    public QueueStats {
        kinds = List.copyOf(kinds);
        taskmasters = List.copyOf(taskmasters);
    }

    public long depth() {
        return kinds.stream().mapToLong(KindStats::queued).sum();
    }

    /** Kinds with queued tasks (ready or delayed) that no live taskmaster can run: they wait until one starts. */
    public List<String> unhandledKinds() {
        return kinds.stream().filter(k -> !k.handled() && k.queued() > 0).map(KindStats::kind).toList();
    }
}
