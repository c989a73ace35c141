package dev.drydock.testing.ec2;

import static dev.drydock.testing.ec2.Ec2TestClients.SUBNET_A;
import static dev.drydock.testing.ec2.Ec2TestClients.SUBNET_B;
import static dev.drydock.testing.ec2.Ec2TestClients.ZONE_A;
import static dev.drydock.testing.ec2.Ec2TestClients.awaitState;
import static dev.drydock.testing.ec2.Ec2TestClients.describe;
import static dev.drydock.testing.ec2.Ec2TestClients.ec2Error;
import static dev.drydock.testing.ec2.Ec2TestClients.errorCode;
import static dev.drydock.testing.ec2.Ec2TestClients.launch;
import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.testing.Await;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.InstanceMarketOptionsRequest;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;
import software.amazon.awssdk.services.ec2.model.MarketType;
import software.amazon.awssdk.services.ec2.model.RunInstancesResponse;

/** Each injected fault reaches the real SDK as the error code and HTTP status EC2 uses for it. */
class FakeEc2FaultsTest {
    private FakeEc2 fake;
    private Ec2Client ec2;

    @BeforeEach
    void start() {
        // Terminated instances leave the listing at once unless a fault keeps them.
        fake = Ec2TestClients.startedFake(Ec2TestClients.fast().terminatedListedFor(Duration.ZERO));
        ec2 = Ec2TestClients.client(fake.endpoint());
    }

    @AfterEach
    void stop() {
        ec2.close();
        fake.close();
    }

    @Test
    void throttlingBurstsFailTheNextCallsWithRequestLimitExceeded() {
        fake.faults().throttle("RunInstances", 2).throttleAll(1);

        Ec2Exception first = ec2Error(() -> ec2.runInstances(launch().build()));
        assertThat(first.awsErrorDetails().errorCode()).isEqualTo("RequestLimitExceeded");
        assertThat(first.statusCode()).isEqualTo(503);
        assertThat(errorCode(() -> ec2.runInstances(launch().build()))).isEqualTo("RequestLimitExceeded");
        assertThat(errorCode(() -> ec2.describeInstances())).isEqualTo("RequestLimitExceeded");
        ec2.describeInstances();
        ec2.runInstances(launch().build());
        assertThat(fake.calls()).extracting(Ec2Call::outcome)
                .containsExactly("RequestLimitExceeded", "RequestLimitExceeded", "RequestLimitExceeded", "ok", "ok");
    }

    @Test
    void noCapacityInAZoneOrForATypeIsInsufficientInstanceCapacity() {
        fake.faults().noCapacityInZone(ZONE_A).noCapacityForType("p5.48xlarge");

        Ec2Exception noZone = ec2Error(() -> ec2.runInstances(launch().subnetId(SUBNET_A).build()));
        assertThat(noZone.awsErrorDetails().errorCode()).isEqualTo("InsufficientInstanceCapacity");
        assertThat(noZone.statusCode()).isEqualTo(500);
        assertThat(noZone.awsErrorDetails().errorMessage()).contains(ZONE_A);
        assertThat(errorCode(() -> ec2.runInstances(launch().subnetId(SUBNET_B).instanceType("p5.48xlarge").build())))
                .isEqualTo("InsufficientInstanceCapacity");
        ec2.runInstances(launch().subnetId(SUBNET_B).build());

        fake.faults().capacityRestored();
        ec2.runInstances(launch().subnetId(SUBNET_A).build());
        assertThat(fake.liveInstances()).isEqualTo(2);
    }

    @Test
    void noSpotCapacityRefusesSpotLaunchesOnlyUntilRestored() {
        fake.faults().noSpotCapacity();
        var spot = InstanceMarketOptionsRequest.builder().marketType(MarketType.SPOT).build();

        Ec2Exception refused = ec2Error(() -> ec2.runInstances(launch().instanceMarketOptions(spot).build()));
        assertThat(refused.awsErrorDetails().errorCode()).isEqualTo("InsufficientInstanceCapacity");
        assertThat(refused.awsErrorDetails().errorMessage()).contains("Spot capacity");
        ec2.runInstances(launch().build());

        fake.faults().capacityRestored();
        ec2.runInstances(launch().instanceMarketOptions(spot).build());
        assertThat(fake.instances()).extracting(InstanceSnapshot::spot).containsExactlyInAnyOrder(false, true);
    }

    @Test
    void quotasRefuseLaunchesUntilRaised() {
        fake.faults().instanceLimit(2);
        ec2.runInstances(launch().build());
        assertThat(ec2.runInstances(launch().minCount(1).maxCount(3).build()).instances()).hasSize(1);
        assertThat(errorCode(() -> ec2.runInstances(launch().build()))).isEqualTo("InstanceLimitExceeded");

        fake.faults().quotaRaised().vcpuLimitExceeded();
        assertThat(errorCode(() -> ec2.runInstances(launch().build()))).isEqualTo("VcpuLimitExceeded");
        fake.faults().quotaRaised();
        ec2.runInstances(launch().build());
        assertThat(fake.maxLiveInstances()).isEqualTo(3);
    }

    @Test
    void unknownImagesSubnetsAndKeyPairsAreNotFound() {
        assertThat(errorCode(() -> ec2.runInstances(launch().imageId("ami-0ffffffffffffffff").build())))
                .isEqualTo("InvalidAMIID.NotFound");
        assertThat(errorCode(() -> ec2.runInstances(launch().subnetId("subnet-0ffffffffffffffff").build())))
                .isEqualTo("InvalidSubnetID.NotFound");
        assertThat(errorCode(() -> ec2.runInstances(launch().keyName("nobody").build()))).isEqualTo("InvalidKeyPair.NotFound");
        assertThat(errorCode(() -> ec2.runInstances(launch().dryRun(true).build()))).isEqualTo("DryRunOperation");
        assertThat(fake.instances()).isEmpty();
    }

    @Test
    void aNewInstanceIsNotFoundByIdForTheFirstDescribesButListedAtOnce() {
        fake.faults().newInstancesUnseenFor(2);
        String id = ec2.runInstances(launch().build()).instances().getFirst().instanceId();

        assertThat(errorCode(() -> describe(ec2, id))).isEqualTo("InvalidInstanceID.NotFound");
        assertThat(ec2.describeInstances().reservations()).hasSize(1);
        assertThat(errorCode(() -> describe(ec2, id))).isEqualTo("InvalidInstanceID.NotFound");
        assertThat(describe(ec2, id).instanceId()).isEqualTo(id);
    }

    @Test
    void aBatchTerminationFailingForOneIdTerminatesNone() {
        String kept = ec2.runInstances(launch().build()).instances().getFirst().instanceId();
        String failing = ec2.runInstances(launch().build()).instances().getFirst().instanceId();
        fake.faults().terminateFails(failing, 1);

        Ec2Exception error = ec2Error(() -> ec2.terminateInstances(r -> r.instanceIds(kept, failing)));
        assertThat(error.awsErrorDetails().errorCode()).isEqualTo("InvalidInstanceID.NotFound");
        assertThat(error.awsErrorDetails().errorMessage()).contains(failing).doesNotContain(kept);
        assertThat(fake.instances()).extracting(InstanceSnapshot::state).doesNotContain(InstanceState.SHUTTING_DOWN);

        ec2.terminateInstances(r -> r.instanceIds(kept, failing));
        assertThat(fake.instances()).extracting(InstanceSnapshot::state).containsOnly(InstanceState.SHUTTING_DOWN);
    }

    @Test
    void terminatedInstancesStayListedAsLongAsTheFaultSays() {
        String gone = ec2.runInstances(launch().build()).instances().getFirst().instanceId();
        ec2.terminateInstances(r -> r.instanceIds(gone));
        fake.faults().terminatedStayListedFor(Duration.ofMinutes(5));
        String lingering = ec2.runInstances(launch().build()).instances().getFirst().instanceId();
        ec2.terminateInstances(r -> r.instanceIds(lingering));

        awaitState(ec2, lingering, InstanceStateName.TERMINATED);
        dev.drydock.testing.Await.until("the first instance to leave the listing", Ec2TestClients.WAIT,
                () -> fake.instance(gone).isEmpty());
        assertThat(describe(ec2, lingering).state().name()).isEqualTo(InstanceStateName.TERMINATED);
    }

    @Test
    void aHeldLaunchAnswerLeavesTheInstanceRunningWhileItsCallerWaitsAndARepeatGetsTheSameOne() throws Exception {
        fake.faults().holdLaunchAnswers();
        ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor();
        try {
            CompletableFuture<RunInstancesResponse> first = CompletableFuture.supplyAsync(
                    () -> ec2.runInstances(launch().clientToken("res-1-attempt-0").build()), callers);
            Await.until("the held launch to be listed and boot", Ec2TestClients.WAIT,
                    () -> fake.instances().size() == 1 && fake.instances().getFirst().state() == InstanceState.RUNNING);
            String id = fake.instances().getFirst().instanceId();
            assertThat(fake.faults().launchAnswersHeld()).isEqualTo(1);
            assertThat(first).as("the caller has not heard").isNotDone();
            assertThat(fake.calls()).extracting(Ec2Call::outcome).containsExactly("ok"); // launched and logged

            // a caller that retries with the token (as after a crash) is held too, and launches nothing new
            CompletableFuture<RunInstancesResponse> again = CompletableFuture.supplyAsync(
                    () -> ec2.runInstances(launch().clientToken("res-1-attempt-0").build()), callers);
            Await.until("the repeat to be held", Ec2TestClients.WAIT, () -> fake.faults().launchAnswersHeld() == 2);
            assertThat(fake.allInstances()).hasSize(1);

            fake.faults().releaseLaunchAnswers();
            assertThat(first.get(20, TimeUnit.SECONDS).instances().getFirst().instanceId()).isEqualTo(id);
            assertThat(again.get(20, TimeUnit.SECONDS).instances().getFirst().instanceId()).isEqualTo(id);
            assertThat(fake.faults().launchAnswersHeld()).isZero();
            ec2.runInstances(launch().build()); // released: answers go at once again
        } finally {
            fake.faults().clear();
            callers.shutdownNow();
        }
    }

    @Test
    void delayedLaunchAnswersComeAfterTheDelayOrWhenCleared() throws Exception {
        fake.faults().launchAnswersDelayedBy(Duration.ofMillis(400));
        long started = System.nanoTime();
        ec2.runInstances(launch().build());
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(400));

        fake.faults().launchAnswersDelayedBy(Duration.ofMinutes(10));
        ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor();
        try {
            CompletableFuture<RunInstancesResponse> delayed = CompletableFuture.supplyAsync(() -> ec2.runInstances(launch().build()), callers);
            Await.until("the delayed answer to be held", Ec2TestClients.WAIT, () -> fake.faults().launchAnswersHeld() == 1);
            fake.faults().clear();
            assertThat(delayed.get(20, TimeUnit.SECONDS).instances()).hasSize(1);
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void everyInstanceEverLaunchedStaysInTheHistoryAfterItLeavesTheListing() {
        String gone = ec2.runInstances(launch().clientToken("res-2-attempt-0").build()).instances().getFirst().instanceId();
        ec2.terminateInstances(r -> r.instanceIds(gone));
        String kept = ec2.runInstances(launch().build()).instances().getFirst().instanceId();

        Await.until("the terminated instance to leave the listing", Ec2TestClients.WAIT, () -> fake.instance(gone).isEmpty());
        assertThat(fake.instances()).extracting(InstanceSnapshot::instanceId).containsExactly(kept);
        assertThat(fake.allInstances()).extracting(InstanceSnapshot::instanceId).containsExactly(gone, kept);
        assertThat(fake.allInstances().getFirst().state()).isEqualTo(InstanceState.TERMINATED);
        assertThat(fake.allInstances().getFirst().clientToken()).isEqualTo("res-2-attempt-0");
    }
}
