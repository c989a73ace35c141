package dev.drydock.core;

import static dev.drydock.testing.ScriptedBlueprint.Step.ACQUIRE_LEASE;
import static dev.drydock.testing.ScriptedBlueprint.Step.ACTIVATE;
import static dev.drydock.testing.ScriptedBlueprint.Step.ALLOCATE;
import static dev.drydock.testing.ScriptedBlueprint.Step.CHECK_HEALTH;
import static dev.drydock.testing.ScriptedBlueprint.Step.DESTROY;
import static dev.drydock.testing.ScriptedBlueprint.Step.RELEASE_LEASE;
import static dev.drydock.testing.ScriptedBlueprint.Step.SHOULD_KEEP;
import static dev.drydock.testing.ScriptedOutcome.checkAgainIn;
import static dev.drydock.testing.ScriptedOutcome.failed;
import static dev.drydock.testing.ScriptedOutcome.throwing;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drydock.api.Lease;
import dev.drydock.api.LeaseBrokenException;
import dev.drydock.api.LeaseRequest;
import dev.drydock.api.LeaseStatus;
import dev.drydock.api.ResourceInfo;
import dev.drydock.api.ResourceStatus;
import dev.drydock.taskqueue.Taskmaster;
import dev.drydock.testing.Await;
import dev.drydock.testing.LeakCheck;
import dev.drydock.testing.PostgresExtension;
import dev.drydock.testing.ScriptedBlueprint;
import dev.drydock.testing.ScriptedBlueprint.Call;
import dev.drydock.testing.ScriptedOutcome;
import dev.drydock.testing.TestDatabase;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The engine's slow and failing blueprint paths, driven by a {@link ScriptedBlueprint}: a build that
 * is not ready at once, a lease step that fails, a destroy that throws, a health check that fails.
 * Each test gets its own blueprint instance, and ends with every lease and resource destroyed.
 */
@ExtendWith({PostgresExtension.class, LeakCheck.class})
class ScriptedBlueprintTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final ScriptedBlueprint blueprint = new ScriptedBlueprint();
    private Drydock drydock;
    private Taskmaster taskmaster;

    @BeforeEach
    void start(TestDatabase db) {
        drydock = Drydock.builder(db.dataSource()).register(blueprint).build();
        taskmaster = drydock.taskmaster().threads(4).pollInterval(Duration.ofMillis(100)).build().start();
        drydock.blueprints().create("scripted-" + System.nanoTime(), "scripted", "{\"capacity\": 1}", 1);
    }

    @AfterEach
    void destroyEverything() {
        blueprint.close();
        drydock.leases(Optional.empty(), 1000).stream()
                .filter(l -> l.status() == LeaseStatus.PENDING || l.status() == LeaseStatus.ACQUIRED || l.status() == LeaseStatus.ACTIVE)
                .forEach(l -> drydock.releaseLease(l.id(), "test"));
        Await.until("every lease destroyed", WAIT, () -> drydock.leases(Optional.empty(), 1000).stream()
                .allMatch(l -> l.status() == LeaseStatus.DESTROYED));
        drydock.resources().stream().filter(r -> r.status() == ResourceStatus.ACTIVE).forEach(r -> drydock.releaseResource(r.id()));
        Await.until("every resource destroyed", WAIT, () -> drydock.resources().stream()
                .allMatch(r -> r.status() == ResourceStatus.DESTROYED));
        taskmaster.close();
        drydock.close();
    }

    @Test
    void aBuildThatSaysCheckAgainKeepsTheLeaseWaitingUntilItIsDoneThenActivatesIt() {
        ScriptedOutcome.Hangs fourth = ScriptedOutcome.hangs();
        blueprint.script(ACTIVATE, checkAgainIn(Duration.ofMillis(50)), checkAgainIn(Duration.ofMillis(50)),
                checkAgainIn(Duration.ofMillis(50)), fourth);

        Lease lease = drydock.allocator().acquire(LeaseRequest.builder("scripted").build());
        fourth.awaitReached(WAIT);

        assertThat(lease.info().status()).as("waits while the build is not done").isEqualTo(LeaseStatus.PENDING);
        long resource = blueprint.calls(ALLOCATE).getFirst().resourceId();
        assertThat(drydock.resource(resource).orElseThrow().status()).isEqualTo(ResourceStatus.PENDING);

        fourth.release();
        assertThat(lease.await(WAIT).info().resourceId()).contains(resource);
        // the engine may ask whether to keep the resource while it is active and its lease not yet placed
        assertThat(blueprint.calls().stream().filter(c -> c.step() != SHOULD_KEEP).toList()).containsExactly(
                new Call(ALLOCATE, resource, Optional.empty()),
                new Call(ACTIVATE, resource, Optional.empty()),
                new Call(ACTIVATE, resource, Optional.empty()),
                new Call(ACTIVATE, resource, Optional.empty()),
                new Call(ACTIVATE, resource, Optional.empty()),
                new Call(ACQUIRE_LEASE, resource, Optional.of(lease.id())));

        lease.release();
        Await.until("the lease cleaned up", WAIT, () -> lease.info().status() == LeaseStatus.DESTROYED);
        assertThat(blueprint.calls(RELEASE_LEASE)).containsExactly(new Call(RELEASE_LEASE, resource, Optional.of(lease.id())));
    }

    @Test
    void aLeaseStepThatFailsBreaksTheLeaseWithTheBlueprintsReason() {
        blueprint.script(ACQUIRE_LEASE, failed("the scratch disk is full"));

        Lease lease = drydock.allocator().acquire(LeaseRequest.builder("scripted").build());

        assertThatThrownBy(() -> lease.await(WAIT)).isInstanceOf(LeaseBrokenException.class)
                .hasMessageContaining("the scratch disk is full");
        Lease next = drydock.allocator().acquire(LeaseRequest.builder("scripted").build());
        assertThat(next.await(WAIT).info().status()).as("the resource serves the next lease").isEqualTo(LeaseStatus.ACTIVE);
        assertThat(blueprint.calls(ACQUIRE_LEASE)).extracting(Call::leaseId).containsExactly(Optional.of(lease.id()), Optional.of(next.id()));
    }

    @Test
    void aDestroyThatThrowsIsTriedAgainUntilTheResourceIsGone() {
        blueprint.script(DESTROY, throwing("the cloud said 503"));
        Lease lease = drydock.allocator().acquire(LeaseRequest.builder("scripted").build());
        long resource = lease.await(WAIT).info().resourceId().orElseThrow();
        lease.release();
        Await.until("the lease cleaned up", WAIT, () -> lease.info().status() == LeaseStatus.DESTROYED);

        drydock.releaseResource(resource);

        Await.until("the resource destroyed", WAIT, () -> drydock.resource(resource).map(ResourceInfo::status).orElseThrow()
                == ResourceStatus.DESTROYED);
        assertThat(blueprint.calls(DESTROY)).as("thrown once, then tried again").hasSize(2);
    }

    @Test
    void aFailedHealthCheckBreaksTheResourceAndItsActiveLeaseWithTheReason() {
        blueprint.checkHealthEvery(Duration.ofMillis(100)).script(CHECK_HEALTH, failed("the host stopped answering"));
        Lease lease = drydock.allocator().acquire(LeaseRequest.builder("scripted").build());
        long resource = lease.await(WAIT).info().resourceId().orElseThrow();

        Await.until("the lease broken", WAIT, () -> lease.info().status() == LeaseStatus.BROKEN || lease.info().status() == LeaseStatus.DESTROYED);
        assertThat(lease.info().statusReason()).contains("the host stopped answering");
        Await.until("the resource destroyed", WAIT, () -> drydock.resource(resource).map(ResourceInfo::status).orElseThrow()
                == ResourceStatus.DESTROYED);
        assertThat(blueprint.calls(CHECK_HEALTH)).first().isEqualTo(new Call(CHECK_HEALTH, resource, Optional.empty()));
    }

    @Test
    void aStepThatCannotCheckAgainRefusesToBeScriptedSo() {
        assertThatThrownBy(() -> blueprint.script(RELEASE_LEASE, checkAgainIn(Duration.ofSeconds(1))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("RELEASE_LEASE cannot check again");
    }
}
