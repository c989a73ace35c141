package dev.drydock.server;

import dev.drydock.core.Census;
import dev.drydock.core.Drydock;
import dev.drydock.core.Reapers;
import dev.drydock.taskqueue.KindStats;
import dev.drydock.taskqueue.QueueStats;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the database holds now, as samples for {@link SnapshotMeters}: read once per scrape, from
 * counters, partial indexes of live rows and small tables only ({@link Drydock#census},
 * {@link Drydock#reapers}, the live queue), never the history.
 */
final class StateSamples {
    private StateSamples() {}

    /** Reads it; throws the database's failure as Drydock or the queue reports it. */
    static List<SnapshotMeters.Sample> read(Drydock drydock) {
        Census census = drydock.census();
        Reapers reapers = drydock.reapers();
        QueueStats queue = drydock.queue().stats();
        long failingDestroys = drydock.destroyFailures(0).count();
        List<SnapshotMeters.Sample> samples = new ArrayList<>();
        census.leases().forEach((status, n) -> samples.add(SnapshotMeters.Sample.gauge("drydock.leases",
                "leases by live status (DESTROYED ones are history and not counted)", Tags.of("status", status.name()), n)));
        Map<String, String> types = new HashMap<>();
        for (Census.BlueprintCount b : census.blueprints()) {
            types.put(b.name(), b.type());
            Tags tags = Tags.of("blueprint", b.name(), "type", b.type());
            b.resources().forEach((status, n) -> samples.add(SnapshotMeters.Sample.gauge("drydock.resources",
                    "resources by blueprint and live status", tags.and("status", status.name()), n)));
            samples.add(SnapshotMeters.Sample.gauge("drydock.blueprint.limit", "the blueprint's resource limit", tags, b.limit()));
            samples.add(SnapshotMeters.Sample.gauge("drydock.blueprint.enabled", "1 if the blueprint takes new leases, 0 if disabled",
                    tags, b.enabled() ? 1 : 0));
        }
        for (Reapers.Blueprint r : reapers.blueprints()) {
            Tags tags = Tags.of("blueprint", r.name(), "type", types.getOrDefault(r.name(), "unknown"));
            samples.add(SnapshotMeters.Sample.counter("drydock.reaped.objects",
                    "objects the blueprint's reaper destroyed, ever (kept in the database)", tags, r.reaped()));
            samples.add(SnapshotMeters.Sample.gauge("drydock.reap.waiting", "orphaned objects waiting for the reaper's second pass",
                    tags, r.waiting()));
            samples.add(SnapshotMeters.Sample.gauge("drydock.reap.failing", "orphaned objects whose destroy keeps failing", tags, r.failing()));
        }
        for (KindStats k : queue.kinds()) {
            Tags tags = Tags.of("kind", k.kind());
            samples.add(SnapshotMeters.Sample.gauge("drydock.queue.depth", "tasks queued, ready or delayed", tags, k.queued()));
            samples.add(SnapshotMeters.Sample.gauge("drydock.queue.ready", "tasks queued and due now", tags, k.ready()));
            samples.add(SnapshotMeters.Sample.gauge("drydock.queue.running", "tasks a taskmaster runs now", tags, k.running()));
            samples.add(SnapshotMeters.Sample.gauge("drydock.queue.oldest.ready.seconds",
                    "how long the longest-waiting ready task has been due", tags, k.oldestReady().toMillis() / 1000.0));
            samples.add(SnapshotMeters.Sample.gauge("drydock.queue.unhandled", "1 if no live taskmaster can run this kind", tags,
                    k.handled() ? 0 : 1));
        }
        samples.add(SnapshotMeters.Sample.gauge("drydock.taskmasters", "taskmasters alive (heartbeat within their lease)", Tags.empty(),
                queue.taskmasters().size()));
        samples.add(SnapshotMeters.Sample.gauge("drydock.resources.failing.destroy", "resources whose destroy keeps failing",
                Tags.empty(), failingDestroys));
        return samples;
    }
}
