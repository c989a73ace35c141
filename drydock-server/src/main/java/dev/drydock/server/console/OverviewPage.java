package dev.drydock.server.console;

import dev.drydock.api.BlueprintInfo;
import dev.drydock.api.LeaseInfo;
import dev.drydock.api.LeaseStatus;
import dev.drydock.core.DestroyFailures;
import dev.drydock.core.Drydock;
import dev.drydock.core.Reapers;
import dev.drydock.server.Documents;
import dev.drydock.taskqueue.KindStats;
import dev.drydock.taskqueue.QueueStats;
import dev.drydock.taskqueue.TaskmasterInfo;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /ui}: the installation at a glance, from the same counters and indexes as
 * {@code drydock-control status} (never a scan of the history).
 */
final class OverviewPage {
    private final Drydock drydock;

    OverviewPage(Drydock drydock) {
        this.drydock = drydock;
    }

    /** The overview's model. */
    public record Overview(Viewer viewer, Map<LeaseStatus, Long> leases, Optional<LeaseInfo> oldestWaiting,
                           List<TaskmasterInfo> taskmasters, long queueDepth, Optional<Duration> queueOldest,
                           Map<String, Long> typesWithoutTaskmaster, List<BlueprintInfo> blueprints, DestroyFailures failing,
                           Reapers reapers) {
        public long leases(LeaseStatus status) {
            return leases.getOrDefault(status, 0L);
        }

        /** The statuses counted: all but DESTROYED, whose count would read the whole history. */
        public List<LeaseStatus> counted() {
            return java.util.Arrays.stream(LeaseStatus.values()).filter(s -> s != LeaseStatus.DESTROYED).toList();
        }
    }

    void show(Context ctx, Viewer viewer) {
        QueueStats queue = drydock.queue().stats();
        Optional<Duration> oldest = queue.kinds().stream().map(KindStats::oldestReady).filter(d -> !d.isZero())
                .max(Duration::compareTo);
        Templates.page(ctx, "overview", new Overview(viewer, drydock.leaseCounts(), drydock.oldestWaiting(), queue.taskmasters(),
                queue.depth(), oldest, drydock.typesWithoutTaskmaster(), drydock.blueprints().list(),
                drydock.destroyFailures(Documents.SHOWN_FAILURES), drydock.reapers()));
    }
}
