package dev.drydock.server.console;

import dev.drydock.core.Drydock;
import dev.drydock.core.LogEntry;
import java.util.List;
import java.util.Optional;

/**
 * The latest history rows a page shows, oldest first, and where its live follower starts.
 *
 * @param followAfter the id after which new rows are followed: the newest shown, or with none shown
 *                    the newest row of all (a cursor of 0 would start every read of the follower at
 *                    the oldest row of the history)
 * @param hasOlder    whether rows older than those shown may exist
 */
record History(List<LogEntry> entries, long followAfter, boolean hasOlder) {
    public History {
        entries = List.copyOf(entries);
    }

    static History latest(Drydock drydock, Optional<Long> lease, Optional<Long> resource, Optional<String> blueprint, long before, int limit) {
        List<LogEntry> newest = drydock.logsBefore(lease, resource, blueprint, before, limit);
        long after = !newest.isEmpty() ? newest.getFirst().id()
                : drydock.logsBefore(Optional.empty(), Optional.empty(), Optional.empty(), before, 1).stream().findFirst()
                        .map(LogEntry::id).orElse(0L);
        return new History(newest.reversed(), after, newest.size() == limit);
    }

    /** The oldest row shown, from which an "older entries" page continues; 0 when none is shown. */
    public long oldestId() {
        return entries.isEmpty() ? 0 : entries.getFirst().id();
    }
}
