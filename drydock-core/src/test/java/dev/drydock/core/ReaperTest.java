package dev.drydock.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.api.Lease;
import dev.drydock.api.LeaseRequest;
import dev.drydock.api.ResourceStatus;
import dev.drydock.api.spi.ObjectTags;
import dev.drydock.taskqueue.Taskmaster;
import dev.drydock.testing.Await;
import dev.drydock.testing.LeakCheck;
import dev.drydock.testing.PostgresExtension;
import dev.drydock.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A blueprint's reaper destroys what its resources left outside the database, by the two-pass
 * rule (architecture decision 46): an object is destroyed only when, on two passes at least an
 * interval apart, the resource its tags name has no row or a DESTROYED one. An object whose row is
 * live, an untagged one, another installation's and another blueprint's are never touched by it. A
 * reaper that fails is tried again and stops no other, and {@code status} shows what they did.
 *
 * <p>The outside world is {@link CloudBlueprint}'s cloud in memory. The class's tests share a
 * database, so each uses blueprints and a region of its own.
 */
@ExtendWith({PostgresExtension.class, LeakCheck.class})
class ReaperTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** The shortest interval a reaper takes. */
    private static final long INTERVAL_MS = 1000;
    private static final long SLOW_INTERVAL_MS = 2500;
    /** A resource id no row has. */
    private static final long NO_ROW = 999_999_999L;
    private final CloudBlueprint cloud = new CloudBlueprint();
    private TestDatabase db;
    private Drydock drydock;
    private Taskmaster taskmaster;

    @BeforeEach
    void start(TestDatabase db) {
        this.db = db;
        drydock = Drydock.builder(db.dataSource()).register(cloud).stepRetryCap(Duration.ofMillis(300)).build();
        taskmaster = drydock.taskmaster().threads(4).pollInterval(Duration.ofMillis(100)).build().start();
    }

    @AfterEach
    void stop() {
        try {
            EngineCleanUp.destroyEverything(drydock);
        } finally {
            taskmaster.close();
            drydock.close();
        }
    }

    @Test
    void anOrphanIsDestroyedOnlyOnAPassAnIntervalAfterTheOneThatFirstSawItAndALiveRowsObjectNeverIs() throws Exception {
        // a longer interval: the test looks at each orphan between its first pass and its second
        long blueprint = blueprint("two-pass", "r-two-pass", 2, SLOW_INTERVAL_MS);
        Lease live = acquire("two-pass");
        long liveResource = live.info().resourceId().orElseThrow();
        Lease second = acquire("two-pass");
        long destroyed = second.info().resourceId().orElseThrow();
        cloud.leaky.add(destroyed);
        second.release();
        second.awaitEnded(WAIT);
        endResource(destroyed);
        stray("stray", "r-two-pass", tags(blueprint, NO_ROW));
        assertThat(cloud.cloud).as("the leaked object is still in the cloud").containsKey("vm-" + destroyed);

        // Each first sighting is caught as it is recorded: the next pass, the first that may destroy, is an interval later.
        List<String> orphans = List.of("stray", "vm-" + destroyed);
        Map<String, String> firstSeen = new HashMap<>();
        Await.until("both seen orphaned", WAIT, () -> {
            for (String orphan : orphans) {
                String seen = firstSeen.containsKey(orphan) ? null : text("SELECT first_seen_at::text FROM dd_reap_candidate WHERE blueprint_id = "
                        + blueprint + " AND object_id = '" + orphan + "'");
                if (seen != null) {
                    assertThat(cloud.cloud).as(orphan + ": the pass that first saw it orphaned destroyed nothing").containsKey(orphan);
                    firstSeen.put(orphan, seen);
                }
            }
            return firstSeen.size() == orphans.size();
        });
        for (String orphan : orphans) {
            awaitReaped(blueprint, orphan);
            assertThat(db.queryLong("SELECT count(*) FROM dd_log WHERE blueprint_id = " + blueprint + " AND message LIKE 'reaper destroyed object "
                    + orphan + " %' AND at >= '" + firstSeen.get(orphan) + "'::timestamptz + interval '" + SLOW_INTERVAL_MS + " milliseconds'"))
                    .as(orphan + ": destroyed an interval or more after it was first seen, and logged").isOne();
        }
        int passes = passesNow(blueprint);
        Await.until("another pass after both were reaped", WAIT, () -> cloud.listingsBy(blueprint).size() > passes);

        assertThat(cloud.cloud).as("the live resource's object").containsKey("vm-" + liveResource);
        assertThat(cloud.destroys).as("the reaper never destroyed the live resource's object").noneMatch(d -> d.objectId().equals("vm-" + liveResource));
        assertThat(db.queryLong("SELECT count(*) FROM dd_reap_candidate WHERE blueprint_id = " + blueprint)).as("candidates left").isZero();
        assertThat(db.queryLong("SELECT reaped FROM dd_reaper WHERE blueprint_id = " + blueprint)).isEqualTo(2);
        assertThat(text("SELECT message FROM dd_log WHERE blueprint_id = " + blueprint + " AND message LIKE 'reaper destroyed object stray %'"))
                .contains("tagged for resource " + NO_ROW + ", which has no row");
        assertThat(text("SELECT message FROM dd_log WHERE blueprint_id = " + blueprint + " AND message LIKE 'reaper destroyed object vm-%'"))
                .contains("tagged for resource " + destroyed + ", whose row is DESTROYED");
        Reapers.Blueprint shown = reaperOf("two-pass");
        assertThat(shown.reaped()).isEqualTo(2);
        assertThat(shown.waiting()).isZero();
        assertThat(shown.errors()).isEmpty();
        assertThat(db.queryLong("SELECT count(*) FROM tq_task WHERE serial_key = 'reap:" + blueprint + "'"))
                .as("one reaper task, however many passes it made").isOne();
        live.release();
    }

    @Test
    void untaggedObjectsAndOtherInstallationsObjectsAreNeverTouched() {
        long blueprint = blueprint("strangers", "r-strangers", 1);
        String ours = drydock.installationId();
        stray("untagged", "r-strangers", Map.of("Name", "someone's web server"));
        stray("other-installation", "r-strangers", new ObjectTags(UUID.randomUUID().toString(), blueprint, NO_ROW).asMap());
        stray("no-resource-tag", "r-strangers", Map.of(ObjectTags.INSTALLATION, ours, ObjectTags.BLUEPRINT, Long.toString(blueprint)));
        stray("garbled-resource-tag", "r-strangers", Map.of(ObjectTags.INSTALLATION, ours, ObjectTags.BLUEPRINT, Long.toString(blueprint),
                ObjectTags.RESOURCE, "vm-12"));
        stray("ours", "r-strangers", tags(blueprint, NO_ROW)); // shows that passes ran their course

        awaitReaped(blueprint, "ours");
        int passes = passesNow(blueprint);
        Await.until("another pass", WAIT, () -> cloud.listingsBy(blueprint).size() > passes);

        assertThat(cloud.cloud).containsKeys("untagged", "other-installation", "no-resource-tag", "garbled-resource-tag");
        assertThat(cloud.destroys).extracting(CloudBlueprint.Destroy::objectId).containsExactly("ours");
        assertThat(db.queryLong("SELECT count(*) FROM dd_reap_candidate WHERE blueprint_id = " + blueprint)).as("never candidates").isZero();
        assertThat(reaperOf("strangers").reaped()).isOne();
    }

    @Test
    void anotherBlueprintsObjectsAreLeftToItsOwnReaper() {
        long mine = blueprint("mine", "r-shared", 1);
        long theirs = blueprint("theirs", "r-shared", 1);
        stray("their-orphan", "r-shared", tags(theirs, NO_ROW));

        awaitReaped(theirs, "their-orphan"); // by its own blueprint's reaper
        Await.until("mine listed it twice", WAIT, () -> cloud.listingsBy(mine).stream().filter(l -> l.objects().contains("their-orphan")).count() >= 2);

        assertThat(db.queryLong("SELECT count(*) FROM dd_log WHERE blueprint_id = " + mine + " AND message LIKE 'reaper%'")).isZero();
        assertThat(db.queryLong("SELECT coalesce(sum(reaped), 0) FROM dd_reaper WHERE blueprint_id = " + mine)).isZero();
        assertThat(reaperOf("theirs").reaped()).isOne();
    }

    @Test
    void aReaperWhoseListingThrowsIsTriedAgainAndStopsNoOther() {
        long flaky = blueprint("flaky", "r-flaky", 1);
        long steady = blueprint("steady", "r-steady", 1);
        cloud.listFailures.put("r-flaky", "the cloud API is throttling; try later");
        stray("flaky-orphan", "r-flaky", tags(flaky, NO_ROW));
        stray("steady-orphan", "r-steady", tags(steady, NO_ROW));

        awaitReaped(steady, "steady-orphan");
        Await.until("the flaky listing tried again", WAIT, () -> cloud.listingsBy(flaky).size() >= 2);
        assertThat(cloud.cloud).containsKey("flaky-orphan");
        assertThat(reaperOf("flaky").errors()).singleElement().asString()
                .isEqualTo("its latest pass could not list with the current configuration: the cloud API is throttling; try later;"
                        + " it lists again each pass, and destroys nothing on a failed listing's word");
        assertThat(text("SELECT list_error FROM dd_reaper WHERE blueprint_id = " + flaky)).contains("throttling");

        cloud.listFailures.clear();
        awaitReaped(flaky, "flaky-orphan"); // once it lists
        Await.until("the error gone with a pass that listed", WAIT, () -> shown("flaky").filter(b -> b.errors().isEmpty()).isPresent());
        assertThat(reaperOf("flaky").reaped()).isOne();
        assertThat(db.queryLong("SELECT count(*) FROM tq_task_archive WHERE kind LIKE 'drydock.reap:%' AND outcome = 'failed'")).isZero();
    }

    @Test
    void aListingThatReachedOnlySomePlacesStillReapsWhatItFoundAndShowsWhatItMissed() {
        long split = blueprint("split", "r-split", 1);
        cloud.partialListings.put("r-split", "hypervisor qemu+ssh://hv2/system did not answer: connection refused");
        stray("split-orphan", "r-split", tags(split, NO_ROW));

        awaitReaped(split, "split-orphan");
        assertThat(reaperOf("split").errors()).singleElement().asString()
                .isEqualTo("its latest pass could not list everything with the current configuration: hypervisor qemu+ssh://hv2/system"
                        + " did not answer: connection refused; it lists again each pass, and destroys nothing on a failed listing's word");
        assertThat(reaperOf("split").reaped()).isOne();
    }

    @Test
    void aDestroyThatThrowsIsCountedAsFailingShownAndTriedAgainNextPass() {
        long blueprint = blueprint("sticky", "r-sticky", 1);
        cloud.destroyFailures.put("sticky-orphan", "permission denied: ec2:TerminateInstances");
        stray("sticky-orphan", "r-sticky", tags(blueprint, NO_ROW));

        Await.until("two failed destroys", WAIT, () -> db.queryLong(
                "SELECT coalesce(max(failures), 0) FROM dd_reap_candidate WHERE blueprint_id = " + blueprint) >= 2);
        Reapers.Blueprint shown = reaperOf("sticky");
        assertThat(shown.failing()).isOne();
        assertThat(shown.waiting()).isOne();
        assertThat(shown.errors()).singleElement().asString()
                .isEqualTo("failing to destroy sticky-orphan: permission denied: ec2:TerminateInstances");
        assertThat(db.queryLong("SELECT count(*) FROM dd_log WHERE blueprint_id = " + blueprint
                + " AND message LIKE 'reaper could not destroy object sticky-orphan %permission denied%trying again next pass%'"))
                .isGreaterThanOrEqualTo(2);

        cloud.destroyFailures.clear();
        awaitReaped(blueprint, "sticky-orphan"); // once the destroy works
        Await.until("nothing failing", WAIT, () -> shown("sticky").filter(b -> b.failing() == 0).isPresent());
        assertThat(reaperOf("sticky").reaped()).isOne();
    }

    @Test
    void anEditedBlueprintsReaperStillFindsWhatItsOldRegionHoldsAndDestroysItThere() {
        long blueprint = blueprint("moving", "r-old", 1);
        Lease lease = acquire("moving");
        long resource = lease.info().resourceId().orElseThrow();
        // edited while the resource lives: from here on the current configuration never sees the old region
        drydock.blueprints().update("moving", Optional.of(config("r-new")), Optional.empty(), Optional.empty());
        cloud.leaky.add(resource);
        lease.release();
        lease.awaitEnded(WAIT);
        endResource(resource);
        stray("old-stray", "r-old", tags(blueprint, NO_ROW)); // only the old configuration's listing sees it

        awaitReaped(blueprint, "vm-" + resource);
        assertThat(cloud.destroys).filteredOn(d -> d.objectId().equals("vm-" + resource)).extracting(CloudBlueprint.Destroy::region)
                .as("destroyed with the configuration it was built with").containsOnly("r-old");
        awaitReaped(blueprint, "old-stray");
        assertThat(cloud.destroys).filteredOn(d -> d.objectId().equals("old-stray")).extracting(CloudBlueprint.Destroy::region)
                .as("without a row, destroyed with the configuration whose listing found it, which can reach it").containsOnly("r-old");
        assertThat(cloud.listingsBy(blueprint)).extracting(CloudBlueprint.Listing::region).as("listed in both regions").contains("r-old", "r-new");
    }

    @Test
    void aDeletedBlueprintsReaperEndsAndForgetsWhatItWaitedFor() {
        long blueprint = blueprint("retired", "r-retired", 1);
        cloud.destroyFailures.put("retired-orphan", "the cloud is down");
        stray("retired-orphan", "r-retired", tags(blueprint, NO_ROW));
        Await.until("a failing destroy", WAIT, () -> shown("retired").filter(b -> b.failing() == 1).isPresent());

        drydock.blueprints().delete("retired");
        Await.until("its reaper task ended", WAIT, () -> db.queryLong("SELECT count(*) FROM tq_task WHERE serial_key = 'reap:" + blueprint + "'") == 0);
        assertThat(db.queryLong("SELECT count(*) FROM dd_reap_candidate WHERE blueprint_id = " + blueprint)).isZero();
        assertThat(drydock.reapers().blueprints()).noneMatch(b -> b.name().equals("retired"));
        assertThat(db.queryLong("SELECT count(*) FROM tq_task_archive WHERE serial_key = 'reap:" + blueprint + "' AND outcome = 'succeeded'"))
                .isOne();
    }

    /**
     * Waits until {@code object} is gone from the cloud and blueprint {@code blueprint}'s reaper has
     * recorded its destroy (in a transaction after the cloud's call).
     */
    private void awaitReaped(long blueprint, String object) {
        Await.until(object + " reaped by blueprint " + blueprint, WAIT, () -> !cloud.cloud.containsKey(object) && db.queryLong(
                "SELECT count(*) FROM dd_log WHERE blueprint_id = " + blueprint + " AND message LIKE 'reaper destroyed object " + object + " %'") == 1);
    }

    private long blueprint(String name, String region, int limit) {
        return blueprint(name, region, limit, INTERVAL_MS);
    }

    private long blueprint(String name, String region, int limit, long intervalMs) {
        return drydock.blueprints().create(name, cloud.type(), config(region, intervalMs), limit).id();
    }

    private static String config(String region) {
        return config(region, INTERVAL_MS);
    }

    private static String config(String region, long intervalMs) {
        return "{\"capacity\": 1, \"region\": \"" + region + "\", \"reapIntervalMs\": " + intervalMs + "}";
    }

    private Lease acquire(String blueprint) {
        return drydock.allocator().acquire(LeaseRequest.builder(cloud.resourceType()).blueprint(blueprint).acquireDeadline(WAIT).build())
                .await(WAIT);
    }

    private void endResource(long id) {
        drydock.releaseResource(id);
        Await.until("resource " + id + " destroyed", WAIT, () -> drydock.resource(id).orElseThrow().status() == ResourceStatus.DESTROYED);
    }

    /** Our installation's tags for an object of {@code resource} of blueprint {@code blueprint}. */
    private Map<String, String> tags(long blueprint, long resource) {
        return new ObjectTags(drydock.installationId(), blueprint, resource).asMap();
    }

    private void stray(String id, String region, Map<String, String> tags) {
        cloud.cloud.put(id, new CloudBlueprint.CloudObject(region, tags));
    }

    private int passesNow(long blueprint) {
        return cloud.listingsBy(blueprint).size();
    }

    private Reapers.Blueprint reaperOf(String name) {
        return shown(name).orElseThrow(() -> new AssertionError("no reaper shown for blueprint " + name + ": " + drydock.reapers()));
    }

    /** What {@code status} would show of the named blueprint's reaper; empty until its first pass. */
    private Optional<Reapers.Blueprint> shown(String name) {
        return drydock.reapers().blueprints().stream().filter(b -> b.name().equals(name)).findFirst();
    }

    private String text(String sql) {
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
