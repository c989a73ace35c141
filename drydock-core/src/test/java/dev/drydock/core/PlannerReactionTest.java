package dev.drydock.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.api.Lease;
import dev.drydock.api.LeaseRequest;
import dev.drydock.api.ResourceInfo;
import dev.drydock.api.ResourceStatus;
import dev.drydock.taskqueue.Taskmaster;
import dev.drydock.testing.Await;
import dev.drydock.testing.LeakCheck;
import dev.drydock.testing.PostgresExtension;
import dev.drydock.testing.ScriptedBlueprint;
import dev.drydock.testing.TestDatabase;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The planner reacts to the event, not to a timer: when a lease takes a warm resource or an
 * operator releases one, the replacement's build starts at once. Measured between the two log rows
 * (both written at the database's clock_timestamp()); the bound is generous, and
 * {@code bin/drydock-bench planner} measures it precisely. The taskmaster polls only every 10 s, so
 * a reaction inside the bound cannot come from polling.
 */
@ExtendWith({PostgresExtension.class, LeakCheck.class})
class PlannerReactionTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final double BOUND_MS = 1000;

    @Test
    void aLeaseTakingAWarmResourceAndAnOperatorReleasingOneEachStartAReplacementBuildAtOnce(TestDatabase db) {
        try (ScriptedBlueprint scripted = new ScriptedBlueprint();
             Drydock drydock = Drydock.builder(db.dataSource()).register(scripted).build();
             Taskmaster taskmaster = drydock.taskmaster().threads(8).pollInterval(Duration.ofSeconds(10)).build().start()) {
            drydock.blueprints().create("react", "scripted", "{\"capacity\": 1}", 6);
            drydock.blueprints().setWarmPool("react", Map.of(), 2, Optional.empty());
            Await.until("two idle", WAIT, () -> idle(drydock) == 2);

            long before = lastLogId(db);
            Lease lease = drydock.allocator().acquire(LeaseRequest.builder("scripted").blueprint("react").build()).await(WAIT);
            Await.until("a replacement build", WAIT, () -> warmBuildsAfter(db, before) == 1);
            double takeToBuild = millisBetween(db, before, "lease " + lease.id() + " PENDING -> ACQUIRED: acquired on resource " + lease.info().resourceId().orElseThrow() + "%");
            assertThat(takeToBuild).as("ms from the lease taking a warm resource to the replacement's build").isBetween(0.0, BOUND_MS);

            Await.until("two idle again", WAIT, () -> idle(drydock) == 2);
            long released = drydock.resources().stream().filter(r -> r.status() == ResourceStatus.ACTIVE && r.activeLeases() == 0)
                    .mapToLong(ResourceInfo::id).min().orElseThrow();
            long beforeRelease = lastLogId(db);
            drydock.releaseResource(released);
            Await.until("a replacement build", WAIT, () -> warmBuildsAfter(db, beforeRelease) == 1);
            double releaseToBuild = millisBetween(db, beforeRelease, "resource " + released + " ACTIVE -> RELEASED%");
            assertThat(releaseToBuild).as("ms from an operator's release to the replacement's build").isBetween(0.0, BOUND_MS);
            lease.release();
            EngineCleanUp.destroyEverything(drydock);
        }
    }

    private static long idle(Drydock drydock) {
        return drydock.resources().stream().filter(r -> r.status() == ResourceStatus.ACTIVE && r.activeLeases() == 0).count();
    }

    private static long lastLogId(TestDatabase db) {
        return db.queryLong("SELECT coalesce(max(id), 0) FROM dd_log");
    }

    private static long warmBuildsAfter(TestDatabase db, long afterLogId) {
        return db.queryLong("SELECT count(*) FROM dd_log WHERE id > " + afterLogId + " AND message LIKE 'resource % PENDING: built for warm pool %'");
    }

    /** From the first log row after {@code afterLogId} matching {@code event} to the first warm build's row after it. */
    private static double millisBetween(TestDatabase db, long afterLogId, String event) {
        return db.queryLong("""
                SELECT (extract(epoch FROM b.at - e.at) * 1000000)::bigint
                  FROM (SELECT at FROM dd_log WHERE id > %d AND message LIKE '%s' ORDER BY id LIMIT 1) e,
                       (SELECT at FROM dd_log WHERE id > %d AND message LIKE 'resource %% PENDING: built for warm pool %%' ORDER BY id LIMIT 1) b"""
                .formatted(afterLogId, event.replace("'", "''"), afterLogId)) / 1000.0;
    }
}
