package dev.drydock.core;

import static dev.drydock.testing.ScriptedBlueprint.Step.ALLOCATE;
import static dev.drydock.testing.ScriptedBlueprint.Step.CHECK_HEALTH;
import static dev.drydock.testing.ScriptedOutcome.checkAgainIn;
import static dev.drydock.testing.ScriptedOutcome.done;
import static dev.drydock.testing.ScriptedOutcome.failed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.api.Lease;
import dev.drydock.api.LeaseRequest;
import dev.drydock.api.LeaseStatus;
import dev.drydock.blueprint.localhost.LocalHostBlueprint;
import dev.drydock.taskqueue.Taskmaster;
import dev.drydock.testing.Await;
import dev.drydock.testing.LeakCheck;
import dev.drydock.testing.PostgresExtension;
import dev.drydock.testing.ScriptedBlueprint;
import dev.drydock.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Resources that lease resources (DESIGN §11): a build takes a sub-lease, is woken when it becomes
 * active and works through its interfaces; the owner's destruction releases it in the same
 * transaction; a sub-lease that breaks, or that someone else releases, breaks its owner with the
 * chain in the reason; {@code why} follows the chain; a cycle of types is refused.
 */
@ExtendWith({PostgresExtension.class, LeakCheck.class})
class SubLeaseTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private TestDatabase db;

    @BeforeEach
    void setUp(TestDatabase db) {
        this.db = db;
    }




    private String text(String sql) throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private long subLeaseOf(long ownerId) {
        return db.queryLong("SELECT id FROM dd_lease WHERE owner_resource_id = " + ownerId);
    }

    @Test
    void aBuildWorksThroughItsSubLeaseIsWokenWhenItIsActiveAndItsDestructionReleasesIt(@TempDir Path root) throws Exception {
        StackBlueprint stack = new StackBlueprint("stack-on-host", "stack");
        try (Drydock drydock = TestDrydocks.with(db, new LocalHostBlueprint(), stack); Taskmaster tm = TestDrydocks.taskmaster(drydock, 8)) {
            drydock.blueprints().create("hosts", "local-host", "{\"root\": \"" + root + "\", \"capacity\": 4}", 1);
            drydock.blueprints().create("stacks", stack.type(), "{\"baseType\": \"host\", \"capacity\": 1}", 1);

            Lease lease = drydock.allocator().acquire(LeaseRequest.builder("stack").build());
            // the build asked to be called again in 10 minutes: only the sub-lease's activation brings it back sooner
            lease.await(WAIT);
            long owner = lease.info().resourceId().orElseThrow();
            long sub = subLeaseOf(owner);
            assertThat(text("SELECT status || ' ' || owner_name FROM dd_lease WHERE id = " + sub)).isEqualTo("ACTIVE base");
            String directory = text("SELECT attributes ->> 'base.directory' FROM dd_resource WHERE id = " + owner);
            assertThat(Files.readString(Path.of(directory, "stack-" + owner))).as("written through the sub-lease's filesystem")
                    .isEqualTo("built on lease " + sub);
            String token = text("SELECT owner_token FROM dd_lease WHERE id = " + sub);
            assertThat(db.queryLong("SELECT count(*) FROM dd_log WHERE strpos(message, '" + token + "') > 0")
                    + db.queryLong("SELECT count(*) FROM dd_resource WHERE strpos(attributes::text, '" + token + "') > 0")
                    + db.queryLong("SELECT count(*) FROM dd_lease WHERE strpos(attributes::text || lease_attributes::text, '" + token + "') > 0"))
                    .as("the sub-lease's owner token is in no log or attribute").isZero();

            lease.release();
            Await.until("the stack, kept by nobody, is destroyed", WAIT,
                    () -> db.queryLong("SELECT count(*) FROM dd_resource WHERE status = 'DESTROYED' AND id = " + owner) == 1);
            assertThat(text("SELECT status_reason FROM dd_lease WHERE id = " + sub))
                    .contains("released by its owner, resource " + owner + ", which was destroyed");
            assertThat(db.queryLong("SELECT count(*) FROM dd_lease l JOIN dd_resource r ON r.id = " + owner
                    + " WHERE l.id = " + sub + " AND l.released_at = r.updated_at AND l.owner_name IS NULL"))
                    .as("released, and let go, in the transaction that destroyed its owner").isEqualTo(1);
            Await.until("the sub-lease is cleaned up", WAIT,
                    () -> db.queryLong("SELECT count(*) FROM dd_lease WHERE status = 'DESTROYED' AND id = " + sub) == 1);
            EngineCleanUp.destroyEverything(drydock);
        }
    }

    @Test
    void aSubLeaseThatBreaksBreaksItsOwnerAndTheOwnersLeasesWithTheWholeChain() throws Exception {
        ScriptedBlueprint base = new ScriptedBlueprint("scripted-base", "base-thing").checkHealthEvery(Duration.ofMillis(200));
        StackBlueprint stack = new StackBlueprint("stack-on-thing", "stack-thing");
        try (Drydock drydock = TestDrydocks.with(db, base, stack); Taskmaster tm = TestDrydocks.taskmaster(drydock, 8); base) {
            drydock.blueprints().create("things", base.type(), "{\"capacity\": 1}", 1);
            drydock.blueprints().create("thing-stacks", stack.type(), "{\"baseType\": \"base-thing\", \"capacity\": 1}", 1);
            Lease lease = drydock.allocator().acquire(LeaseRequest.builder("stack-thing").build());
            lease.await(WAIT);
            long owner = lease.info().resourceId().orElseThrow();
            long sub = subLeaseOf(owner);
            long baseResource = db.queryLong("SELECT resource_id FROM dd_lease WHERE id = " + sub);

            base.otherwise(CHECK_HEALTH, failed("sshd not answering"));
            Await.until("the stack's lease breaks", WAIT, () -> lease.info().status() == LeaseStatus.BROKEN
                    || lease.info().status() == LeaseStatus.DESTROYED);
            assertThat(text("SELECT status_reason FROM dd_resource WHERE id = " + owner))
                    .contains("its sub-lease 'base' (lease " + sub + ") broke: its resource " + baseResource + " broke: sshd not answering");
            assertThat(lease.info().statusReason())
                    .contains("its resource " + owner + " broke: its sub-lease 'base' (lease " + sub + ") broke: its resource "
                            + baseResource + " broke: sshd not answering");
            base.otherwise(CHECK_HEALTH, done());
            lease.release();
            Await.until("both resources are destroyed", WAIT, () -> db.queryLong(
                    "SELECT count(*) FROM dd_resource WHERE status = 'DESTROYED' AND id IN (" + owner + ", " + baseResource + ")") == 2);
            EngineCleanUp.destroyEverything(drydock);
        }
    }

    @Test
    void aSubLeaseReleasedByAnOperatorBreaksItsOwner() throws Exception {
        ScriptedBlueprint base = new ScriptedBlueprint("scripted-base-2", "base-thing-2");
        StackBlueprint stack = new StackBlueprint("stack-on-thing-2", "stack-thing-2");
        try (Drydock drydock = TestDrydocks.with(db, base, stack); Taskmaster tm = TestDrydocks.taskmaster(drydock, 8)) {
            drydock.blueprints().create("things-2", base.type(), "{\"capacity\": 1}", 1);
            drydock.blueprints().create("thing-stacks-2", stack.type(), "{\"baseType\": \"base-thing-2\", \"capacity\": 1}", 1);
            Lease lease = drydock.allocator().acquire(LeaseRequest.builder("stack-thing-2").build());
            lease.await(WAIT);
            long owner = lease.info().resourceId().orElseThrow();
            long sub = subLeaseOf(owner);

            drydock.releaseLease(sub, "tester");
            Await.until("the owner breaks", WAIT, () -> !"ACTIVE".equals(text0("SELECT status FROM dd_resource WHERE id = " + owner)));
            assertThat(text("SELECT status_reason FROM dd_resource WHERE id = " + owner))
                    .contains("its sub-lease 'base' (lease " + sub + ") was released: released by operator tester");
            lease.release();
            EngineCleanUp.destroyEverything(drydock);
        }
    }

    private String text0(String sql) {
        try {
            return text(sql);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void whyFollowsAWaitingLeaseThroughItsResourcesSubLeases() throws Exception {
        ScriptedBlueprint base = new ScriptedBlueprint("scripted-slow-base", "slow-thing")
                .otherwise(ALLOCATE, checkAgainIn(Duration.ofMillis(200), "the cloud to boot the machine"));
        StackBlueprint stack = new StackBlueprint("stack-on-slow", "stack-slow");
        try (Drydock drydock = TestDrydocks.with(db, base, stack); Taskmaster tm = TestDrydocks.taskmaster(drydock, 8)) {
            drydock.blueprints().create("slow-things", base.type(), "{\"capacity\": 1}", 1);
            drydock.blueprints().create("slow-stacks", stack.type(), "{\"baseType\": \"slow-thing\", \"capacity\": 1}", 1);
            Lease lease = drydock.allocator().acquire(LeaseRequest.builder("stack-slow").build());

            List<WaitLink> chain = Await.value("the chain reaches the base's build", WAIT, () -> {
                List<WaitLink> links = drydock.waitChain(lease.id());
                return links.stream().anyMatch(l -> l.description().contains("the cloud to boot the machine")) ? links : null;
            });
            assertThat(chain.get(0).depth()).isZero();
            assertThat(chain.get(0).description()).startsWith("resource ").contains("of blueprint slow-stacks is PENDING");
            assertThat(chain.get(1).depth()).isEqualTo(1);
            assertThat(chain.get(1).description()).contains("its sub-lease 'base'").contains("a slow-thing) is PENDING");
            assertThat(chain.get(2).depth()).isEqualTo(2);
            assertThat(chain.get(2).description()).contains("of blueprint slow-things is PENDING").contains("the cloud to boot the machine");

            base.otherwise(ALLOCATE, done());
            lease.await(WAIT);
            assertThat(drydock.waitChain(lease.id())).as("an active lease waits on nothing").isEmpty();
            lease.release();
            EngineCleanUp.destroyEverything(drydock);
        }
    }

    @Test
    void aCycleOfTypesIsRefusedBeforeAnyLeaseCompletesIt() throws Exception {
        // an "up" leases a "down", whose build would lease an "up" again, and so on for ever
        StackBlueprint up = new StackBlueprint("stack-up", "up");
        StackBlueprint down = new StackBlueprint("stack-down", "down");
        try (Drydock drydock = TestDrydocks.with(db, up, down); Taskmaster tm = TestDrydocks.taskmaster(drydock, 8)) {
            drydock.blueprints().create("ups", up.type(), "{\"baseType\": \"down\", \"capacity\": 1}", 2);
            drydock.blueprints().create("downs", down.type(), "{\"baseType\": \"up\", \"capacity\": 1}", 2);
            Lease lease = drydock.allocator().acquire(LeaseRequest.builder("up").build());

            long downResource = Await.value("the down's build is refused", WAIT, () -> {
                String id = text0("SELECT id FROM dd_resource WHERE status_reason LIKE '%could never end%'");
                return id == null ? null : Long.parseLong(id);
            });
            assertThat(text("SELECT status_reason FROM dd_resource WHERE id = " + downResource))
                    .contains("resource " + downResource + " may not lease a 'up'").contains("lease a resource of another type");
            assertThat(db.queryLong("SELECT count(*) FROM dd_lease WHERE owner_resource_id = " + downResource))
                    .as("no lease was taken for it").isZero();
            assertThat(db.queryLong("SELECT count(*) FROM dd_resource WHERE blueprint_id = (SELECT id FROM dd_blueprint WHERE name = 'ups')"))
                    .as("no second up was built").isEqualTo(1);

            lease.release();
            drydock.releaseResource(downResource);
            long upResource = db.queryLong("SELECT id FROM dd_resource WHERE blueprint_id = (SELECT id FROM dd_blueprint WHERE name = 'ups')");
            drydock.releaseResource(upResource);
            Await.until("both are destroyed", WAIT, () -> db.queryLong("SELECT count(*) FROM dd_resource WHERE status = 'DESTROYED' AND id IN ("
                    + upResource + ", " + downResource + ")") == 2);
            EngineCleanUp.destroyEverything(drydock);
        }
    }
}
