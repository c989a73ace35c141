package dev.drydock.core;

import static dev.drydock.testing.ScriptedBlueprint.Step.ALLOCATE;
import static dev.drydock.testing.ScriptedBlueprint.Step.RELEASE_LEASE;
import static dev.drydock.testing.ScriptedOutcome.checkAgainIn;
import static dev.drydock.testing.ScriptedOutcome.done;
import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.api.Lease;
import dev.drydock.api.LeaseRequest;
import dev.drydock.api.LeaseStatus;
import dev.drydock.taskqueue.Taskmaster;
import dev.drydock.testing.Await;
import dev.drydock.testing.LeakCheck;
import dev.drydock.testing.PostgresExtension;
import dev.drydock.testing.ScriptedBlueprint;
import dev.drydock.testing.TestDatabase;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Routing by blueprint type (architecture decision 45): a taskmaster without a type's
 * implementation leaves that type's work to one that has it; while none runs, the work waits and
 * says so, instead of failing.
 */
@ExtendWith({PostgresExtension.class, LeakCheck.class})
class RoutingTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private TestDatabase db;

    @BeforeEach
    void setUp(TestDatabase db) {
        this.db = db;
    }



    @Test
    void aTaskmasterWithoutATypeLeavesItsWorkToOneThatHasIt() throws Exception {
        ScriptedBlueprint cloud = new ScriptedBlueprint("routed-cloud", "routed-box")
                .otherwise(ALLOCATE, checkAgainIn(Duration.ofMillis(100), "the instance to boot"));
        ScriptedBlueprint other = new ScriptedBlueprint("routed-other", "routed-other-box");
        try (Drydock withCloud = TestDrydocks.with(db, cloud); Drydock without = TestDrydocks.with(db, other); Taskmaster tmWithout = TestDrydocks.taskmaster(without, 4)) {
            withCloud.blueprints().create("cloud", cloud.type(), "{\"capacity\": 1}", 2);
            Lease lease = without.allocator().acquire(LeaseRequest.builder("routed-box").build());

            Await.until("the lease says what it waits for", WAIT,
                    () -> lease.info().statusReason().contains("no running taskmaster has blueprint type routed-cloud"));
            assertThat(lease.info().status()).as("it waits; it is not failed").isEqualTo(LeaseStatus.PENDING);
            assertThat(cloud.calls()).as("only a taskmaster with the type calls its blueprint").isEmpty();

            try (Taskmaster tmWith = TestDrydocks.taskmaster(withCloud, 4)) {
                // handed over: the lease is built on the cloud's taskmaster, whose build keeps checking again
                Await.until("the build runs on the taskmaster with the type", WAIT, () -> !cloud.calls(ALLOCATE).isEmpty());
                long building = cloud.calls(ALLOCATE).getFirst().resourceId();
                tmWith.close();

                // the build's next step waits for a taskmaster with the type; why and status say so
                Await.until("why names the missing type", WAIT, () -> without.waitChain(lease.id()).stream()
                        .anyMatch(l -> l.description().contains("resource " + building)
                                && l.description().contains("no running taskmaster has blueprint type routed-cloud")));
                Map<String, Long> unrun = Await.value("status counts the waiting work", WAIT, () -> {
                    Map<String, Long> types = without.typesWithoutTaskmaster();
                    return types.containsKey("routed-cloud") ? types : null;
                });
                assertThat(unrun).doesNotContainKey("routed-other");
            }
            cloud.otherwise(ALLOCATE, done());
            try (Taskmaster tmWith = TestDrydocks.taskmaster(withCloud, 4)) {
                lease.await(WAIT);
                int releasesBefore = cloud.calls(RELEASE_LEASE).size();
                lease.release();
                // the clean-up needs the cloud's releaseLease: the taskmaster without the type hands it over
                Await.until("the lease is cleaned up", WAIT, () -> lease.info().status() == LeaseStatus.DESTROYED);
                assertThat(cloud.calls(RELEASE_LEASE)).hasSize(releasesBefore + 1);
                assertThat(db.queryLong("SELECT count(*) FROM tq_task_archive WHERE kind = 'drydock.resource-update:routed-cloud'"))
                        .as("the builds ran under their type's kind").isPositive();
                assertThat(db.queryLong("SELECT count(*) FROM tq_task_archive WHERE kind LIKE 'drydock.%' AND outcome = 'failed'")).isZero();
                EngineCleanUp.destroyEverything(withCloud);
            }
        }
    }
}
