package dev.drydock.blueprint.ec2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.api.Lease;
import dev.drydock.api.LeaseRequest;
import dev.drydock.api.LeaseStatus;
import dev.drydock.api.ResourceStatus;
import dev.drydock.testing.Await;
import dev.drydock.testing.ec2.Ec2Call;
import dev.drydock.testing.ec2.InstanceState;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each class of EC2 error gets its own answer (DESIGN §10), asserted on the lease's and resource's
 * reasons and on the fake's call log.
 */
class Ec2ErrorsTest extends Ec2FixtureTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    private Lease lease(String blueprint, Map<String, String> config) {
        ec2.drydock.blueprints().create(blueprint, Ec2HostBlueprint.TYPE, ec2.config(config), 2);
        return ec2.drydock.allocator().acquire(LeaseRequest.builder("host").blueprint(blueprint).build());
    }

    private List<Ec2Call> calls(String action) {
        return ec2.fake.calls().stream().filter(c -> c.action().equals(action)).toList();
    }

    @Test
    void throttlingIsBackedOffNotFailedAndNotAStorm() {
        ec2.fake.faults().throttle("RunInstances", 2);
        Lease lease = lease("throttled", Map.of());
        lease.await(WAIT);
        List<Ec2Call> runs = calls("RunInstances");
        assertThat(runs).hasSize(3);
        assertThat(runs.subList(0, 2)).allMatch(c -> c.outcome().equals("RequestLimitExceeded"));
        // backed off: 2 and 4 s are the waits; a wait that did not grow (2 and 2 s) would not reach 5 s
        assertThat(Duration.between(runs.get(0).at(), runs.get(2).at())).isGreaterThanOrEqualTo(Duration.ofSeconds(5));
        assertThat(ec2.fake.instances()).hasSize(1);
        lease.release();
    }

    @Test
    void aZoneWithoutCapacityIsSkippedForTheNextSubnet() {
        ec2.fake.faults().noCapacityInZone(Ec2Fixture.ZONE_A);
        Lease lease = lease("capacity", Map.of());
        lease.await(WAIT);
        var resource = ec2.drydock.resource(lease.info().resourceId().orElseThrow()).orElseThrow();
        assertThat(resource.attributes()).containsEntry("zone", Ec2Fixture.ZONE_B).containsEntry("subnet", Ec2Fixture.SUBNET_B);
        assertThat(calls("RunInstances")).extracting(Ec2Call::outcome).containsExactly("InsufficientInstanceCapacity", Ec2Call.OK);
        lease.release();
    }

    @ParameterizedTest
    @ValueSource(strings = {"VcpuLimitExceeded", "InstanceLimitExceeded"})
    void aQuotaPausesTheBlueprintAndLeasesWaitWithTheReasonUntilItIsRaised(String code) {
        if (code.equals("VcpuLimitExceeded")) {
            ec2.fake.faults().vcpuLimitExceeded();
        } else {
            ec2.fake.faults().instanceLimit(0);
        }
        Lease lease = lease("quota", Map.of("quotaPauseSeconds", "1"));
        Await.until("the lease waits naming the quota", WAIT, () -> lease.info().statusReason().contains("EC2 quota reached (" + code));
        Await.until("a second launch, after the pause", WAIT, () -> calls("RunInstances").size() >= 2);
        ec2.fake.faults().quotaRaised();
        lease.await(WAIT);
        List<Ec2Call> refused = calls("RunInstances").stream().filter(c -> c.outcome().equals(code)).toList();
        for (int i = 1; i < refused.size(); i++) {
            assertThat(Duration.between(refused.get(i - 1).at(), refused.get(i).at())).as("launches during the quota are a pause apart, not a storm")
                    .isGreaterThanOrEqualTo(Duration.ofMillis(900));
        }
        assertThat(lease.info().status()).isEqualTo(LeaseStatus.ACTIVE);
        lease.release();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "imageId | \"ami-00000000000000bad\" | InvalidAMIID.NotFound",
            "subnets | [\"subnet-00000000000000bad\"] | InvalidSubnetID.NotFound",
            "keyName | \"nobody's-key\" | InvalidKeyPair.NotFound"})
    void aConfigurationEc2RefusesBreaksTheBuildNamingTheFieldAndDeclinesUntilItChanges(String field, String bad, String code) {
        Lease lease = lease("bad-config", Map.of(field, bad));
        Await.until("the lease says what to fix", WAIT, () -> lease.info().statusReason().contains("fix the blueprint's configuration"));
        assertThat(lease.info().statusReason()).contains("EC2 refused config." + field + " (" + code);
        Await.until("the broken resource is destroyed", WAIT, () -> ec2.drydock.resources().stream()
                .allMatch(r -> r.status() == ResourceStatus.DESTROYED));
        assertThat(calls("RunInstances")).as("declined after the first refusal, not retried in a loop").hasSize(1);

        ec2.drydock.blueprints().update("bad-config", Optional.of(ec2.config(Map.of())), Optional.empty(), Optional.empty());
        lease.await(WAIT);
        lease.release();
    }

    @Test
    void noCapacityForTheFirstTypeInAnySubnetMovesToTheNextType() {
        ec2.fake.faults().noCapacityForType("t3.micro");
        Lease lease = lease("types", Map.of("instanceTypes", "[\"t3.micro\", \"t3.small\"]"));
        lease.await(WAIT);
        var resource = ec2.drydock.resource(lease.info().resourceId().orElseThrow()).orElseThrow();
        assertThat(resource.attributes()).containsEntry("instance_type", "t3.small").containsEntry("subnet", Ec2Fixture.SUBNET_A);
        assertThat(calls("RunInstances")).extracting(c -> c.params().get("InstanceType") + " " + c.params().get("SubnetId") + " " + c.outcome())
                .containsExactly("t3.micro " + Ec2Fixture.SUBNET_A + " InsufficientInstanceCapacity",
                        "t3.micro " + Ec2Fixture.SUBNET_B + " InsufficientInstanceCapacity", "t3.small " + Ec2Fixture.SUBNET_A + " ok");
        lease.release();
    }

    @Test
    void anInstanceEc2DoesNotYetFindById() {
        // EC2's eventual consistency hides a new instance from describes by id; the blueprint never asks by id
        ec2.fake.faults().newInstancesUnseenFor(5);
        Lease lease = lease("unseen", Map.of());
        lease.await(WAIT);
        assertThat(calls("DescribeInstances")).as("listings by tag, never a describe by id")
                .noneMatch(c -> c.params().keySet().stream().anyMatch(k -> k.startsWith("InstanceId")));
        lease.release();
    }

    @Test
    void aTerminateThatDoesNotFindTheInstanceIsSentAgainWhileTheListingShowsItAlive() {
        Lease lease = lease("lost-terminate", Map.of());
        lease.await(WAIT);
        long resourceId = lease.info().resourceId().orElseThrow();
        String id = ec2.drydock.resource(resourceId).orElseThrow().attributes().get("instance_id");
        ec2.fake.faults().terminateFails(id, 2);
        lease.release();
        Await.until("the resource is destroyed", WAIT, () -> ec2.drydock.resource(resourceId).orElseThrow().status() == ResourceStatus.DESTROYED);
        assertThat(ec2.fake.liveInstances()).as("destroyed only once instance %s was really terminated", id).isZero();
        assertThat(calls("TerminateInstances")).extracting(Ec2Call::outcome)
                .containsExactly("InvalidInstanceID.NotFound", "InvalidInstanceID.NotFound", Ec2Call.OK);
    }

    @ParameterizedTest
    @CsvSource({"TERMINATED, Server.InternalError", "STOPPED, Client.InstanceInitiatedShutdown"})
    void anInstanceThatDiesUnderALeaseBreaksItWithTheReason(InstanceState end, String said) {
        Lease lease = lease("doomed", Map.of());
        lease.await(WAIT);
        String id = ec2.drydock.resource(lease.info().resourceId().orElseThrow()).orElseThrow().attributes().get("instance_id");
        ec2.fake.instanceDies(id, end);
        Await.until("the lease breaks", WAIT, () -> lease.info().status() == LeaseStatus.BROKEN || lease.info().status() == LeaseStatus.DESTROYED);
        assertThat(lease.info().statusReason()).contains("instance " + id).contains(said);
    }

    @Test
    void anInstanceOfferingAKeyItsConsoleDoesNotPrintIsRefused() {
        ec2.fake.faults().consoleShowsForeignHostKey();
        Lease lease = lease("spoofed", Map.of("bootMinutes", "1"));
        Await.until("the build is refused naming the keys", WAIT, () -> ec2.drydock.resources().stream()
                .anyMatch(r -> r.statusReason().contains("which its console output does not list")));
        assertThat(lease.info().status()).isNotEqualTo(LeaseStatus.ACTIVE);
        ec2.fake.faults().clear();
        lease.release();
    }
}
