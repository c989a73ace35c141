package dev.drydock.core.internal.engine;

import dev.drydock.api.ResourceStatus;
import dev.drydock.api.spi.ObjectTags;
import dev.drydock.api.spi.Reaper;
import dev.drydock.core.internal.blueprint.BlueprintRegistry;
import dev.drydock.core.internal.store.BlueprintRow;
import dev.drydock.core.internal.store.EventLog;
import dev.drydock.core.internal.store.ReapStore;
import dev.drydock.core.internal.store.ResourceRow;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pass of a blueprint's reaper, the two-pass rule applied:
 * <ol>
 * <li>list ({@link ReapListing});</li>
 * <li>keep only objects tagged with this installation and this blueprint ({@link ObjectTags}):
 *     untagged objects and other installations' are never touched, and other blueprints' are left
 *     to their own reapers;</li>
 * <li>an object whose resource row is not DESTROYED is never touched; one whose row is missing or
 *     DESTROYED is an orphan;</li>
 * <li>record the orphans as candidates, forgetting every other candidate, and learn which were
 *     already candidates an interval ago or more, on the database's clock;</li>
 * <li>destroy those, each after reading its row once more, with the configuration its resource
 *     was built with (the one that listed it, for an object whose row is missing), logging each on
 *     the blueprint's log and counting it; a destroy that throws is counted as failing and tried
 *     again next pass.</li>
 * </ol>
 */
final class ReapPass {
    private static final Logger LOG = LoggerFactory.getLogger(ReapPass.class);
    private final Engine engine;
    private final BlueprintRow blueprint;
    private final BlueprintRegistry.Configured current;
    private final Duration interval;
    private final ReapersByConfig reapers;

    ReapPass(Engine engine, BlueprintRow blueprint, BlueprintRegistry.Configured current, Reaper reaper, Duration interval) {
        this.engine = engine;
        this.blueprint = blueprint;
        this.current = current;
        this.interval = interval;
        this.reapers = new ReapersByConfig(engine.secrets()).with(current, reaper);
    }

    /** An object of ours whose resource row is missing ({@code row} empty) or DESTROYED. */
    private record Orphan(ReapListing.Listed listed, long resourceId, Optional<ResourceRow> row) {}

    void run() {
        ReapListing listing = ReapListing.list(engine, blueprint, current, interval, reapers);
        Map<String, Orphan> orphans = orphans(listing);
        Map<String, Long> candidates = new LinkedHashMap<>();
        orphans.forEach((id, o) -> candidates.put(id, o.resourceId()));
        Optional<String> listError = listing.errors().isEmpty() ? Optional.empty() : Optional.of("its latest pass "
                + String.join("; it ", listing.errors()) + "; it lists again each pass, and destroys nothing on a failed listing's word");
        List<ReapStore.Seen> seen = engine.jdbi().inTransaction(h -> {
            List<ReapStore.Seen> recorded = ReapStore.recordPass(h, blueprint.id(), candidates, interval);
            ReapStore.passed(h, blueprint.id(), listError);
            return recorded;
        });
        for (ReapStore.Seen s : seen) {
            if (Thread.currentThread().isInterrupted()) {
                return; // the taskmaster is stopping: the rest wait for the next pass
            }
            if (s.due()) {
                destroy(orphans.get(s.objectId()), s.firstSeenAt());
            }
        }
    }

    private Map<String, Orphan> orphans(ReapListing listing) {
        String installation = engine.installation().id();
        Map<String, ObjectTags> ours = new LinkedHashMap<>();
        listing.objects().forEach((id, listed) -> listed.object().owner()
                .filter(tags -> tags.installationId().equals(installation) && tags.blueprintId() == blueprint.id())
                .ifPresent(tags -> ours.put(id, tags)));
        Set<Long> resourceIds = ours.values().stream().map(ObjectTags::resourceId).collect(Collectors.toSet());
        Map<Long, ResourceRow> rows = engine.jdbi().withHandle(h -> ReapStore.resources(h, resourceIds));
        Map<String, Orphan> orphans = new LinkedHashMap<>();
        ours.forEach((id, tags) -> {
            Optional<ResourceRow> row = Optional.ofNullable(rows.get(tags.resourceId()));
            if (row.map(this::orphaned).orElse(true)) {
                orphans.put(id, new Orphan(listing.objects().get(id), tags.resourceId(), row));
            }
        });
        return orphans;
    }

    /**
     * Whether an existing row leaves its objects orphaned: DESTROYED, and this blueprint's. A row of
     * another blueprint means the tags disagree with our records, and what we cannot explain we
     * leave alone.
     */
    private boolean orphaned(ResourceRow row) {
        return row.status() == ResourceStatus.DESTROYED && row.blueprintId() == blueprint.id();
    }

    private void destroy(Orphan orphan, Instant firstSeenAt) {
        String object = orphan.listed().object().id();
        // Read again: destroys come one after another, and a missing id's row may have been made since.
        Optional<ResourceRow> row = engine.jdbi().withHandle(h ->
                Optional.ofNullable(ReapStore.resources(h, List.of(orphan.resourceId())).get(orphan.resourceId())));
        if (row.isPresent() && !orphaned(row.get())) {
            return; // the next pass forgets it
        }
        String what = "object " + object + " (tagged for resource " + orphan.resourceId() + ", "
                + (row.isEmpty() ? "which has no row" : "whose row is DESTROYED") + ")";
        try {
            // its own configuration (decision 42), which made it; without a row, the one whose listing found it
            BlueprintRegistry.Configured acting = row.isPresent() ? engine.configured(row.get(), blueprint) : orphan.listed().lister();
            Reaper reaper = reapers.of(acting).orElseThrow(() -> new IllegalStateException(
                    "the configuration resource " + orphan.resourceId() + " was built with offers no reaper; destroy it by hand"));
            reaper.destroy(orphan.listed().object());
        } catch (RuntimeException e) {
            String error = StepFailure.describe(e);
            LOG.warn("blueprint {}'s reaper could not destroy {}: {}; trying again next pass", blueprint.name(), what, error, e);
            engine.jdbi().useTransaction(h -> {
                ReapStore.destroyFailed(h, blueprint.id(), object, error);
                EventLog.blueprint(h, blueprint.id(), "reaper could not destroy " + what + ": " + error
                        + "; trying again next pass, in " + StepFailure.seconds(interval) + " s");
            });
            return;
        }
        LOG.info("blueprint {}'s reaper destroyed {}, orphaned since {}", blueprint.name(), what, firstSeenAt);
        engine.jdbi().useTransaction(h -> {
            ReapStore.reaped(h, blueprint.id(), object);
            EventLog.blueprint(h, blueprint.id(), "reaper destroyed " + what + ", seen orphaned since " + firstSeenAt);
        });
    }
}
