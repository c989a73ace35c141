package dev.drydock.blueprint.ec2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.api.Lease;
import dev.drydock.api.LeaseRequest;
import dev.drydock.api.LeaseStatus;
import dev.drydock.api.ResourceStatus;
import dev.drydock.testing.Await;
import dev.drydock.testing.LeakCheck;
import dev.drydock.testing.PostgresExtension;
import dev.drydock.testing.TestDatabase;
import dev.drydock.testing.ec2.Ec2Call;
import dev.drydock.testing.ec2.InstanceState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each class of EC2 error gets its own answer (DESIGN §10), asserted on the lease's and resource's
 * reasons and on the fake's call log.
 */
@ExtendWith({PostgresExtension.class, LeakCheck.class})
class Ec2ErrorsTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    @TempDir
    Path dir;
    private Ec2Fixture ec2;

    @BeforeEach
    void setUp(TestDatabase db) {
        this.ec2 = new Ec2Fixture(db, dir, Ec2Fixture.fast());
    }

    @AfterEach
    void tearDown() {
        try {
            ec2.cleanUp();
        } finally {
            ec2.close();
        }
    }

    private Lease lease(String blueprint, Map<String, String> config) {
        ec2.drydock.blueprints().create(blueprint, Ec2HostBlueprint.TYPE, ec2.config(config), 2);
        return ec2.drydock.allocator().acquire(LeaseRequest.builder("host").blueprint(blueprint).build());
    }

    private List<Ec2Call> calls(String action) {
        return ec2.fake.calls().stream().filter(c -> c.action().equals(action)).toList();
    }

    @Test
    void throttlingIsBackedOffNotFailedAndNotAStorm() {
        ec2.fake.faults().throttle("RunInstances", 3);
        Lease lease = lease("throttled", Map.of());
        lease.await(WAIT);
        List<Ec2Call> runs = calls("RunInstances");
        assertThat(runs).hasSize(4);
        assertThat(runs.subList(0, 3)).allMatch(c -> c.outcome().equals("RequestLimitExceeded"));
        // backed off: 2, 4 and 8 s would be the waits; at least the first two must have passed between the tries
        assertThat(Duration.between(runs.get(0).at(), runs.get(3).at())).isGreaterThanOrEqualTo(Duration.ofSeconds(5));
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

    @Test
    void aQuotaPausesTheBlueprintAndLeasesWaitWithTheReasonUntilItIsRaised() {
        ec2.fake.faults().vcpuLimitExceeded();
        Lease lease = lease("quota", Map.of("quotaPauseSeconds", "3"));
        Await.until("the lease waits naming the quota", WAIT, () -> lease.info().statusReason().contains("EC2 quota reached (VcpuLimitExceeded"));
        Await.until("a second launch, after the pause", WAIT, () -> calls("RunInstances").size() >= 2);
        ec2.fake.faults().quotaRaised();
        lease.await(WAIT);
        List<Ec2Call> refused = calls("RunInstances").stream().filter(c -> c.outcome().equals("VcpuLimitExceeded")).toList();
        for (int i = 1; i < refused.size(); i++) {
            assertThat(Duration.between(refused.get(i - 1).at(), refused.get(i).at())).as("launches during the quota are a pause apart, not a storm")
                    .isGreaterThanOrEqualTo(Duration.ofMillis(2500));
        }
        assertThat(lease.info().status()).isEqualTo(LeaseStatus.ACTIVE);
        lease.release();
    }

    @Test
    void aBadImageBreaksTheBuildNamingTheFieldAndDeclinesUntilTheConfigurationChanges() {
        Lease lease = lease("bad-image", Map.of("imageId", "\"ami-00000000000000bad\""));
        Await.until("the lease says what to fix", WAIT, () -> lease.info().statusReason().contains("fix the blueprint's configuration"));
        assertThat(lease.info().statusReason()).contains("EC2 refused config.imageId (InvalidAMIID.NotFound");
        Await.until("the broken resource is destroyed", WAIT, () -> ec2.drydock.resources().stream()
                .allMatch(r -> r.status() == ResourceStatus.DESTROYED));
        assertThat(calls("RunInstances")).as("declined after the first refusal, not retried in a loop").hasSize(1);

        ec2.drydock.blueprints().update("bad-image", java.util.Optional.of(ec2.config(Map.of())), java.util.Optional.empty(), java.util.Optional.empty());
        lease.await(WAIT);
        lease.release();
    }

    @Test
    void anInstanceThatDiesUnderALeaseBreaksItWithTheReason() {
        Lease lease = lease("doomed", Map.of());
        lease.await(WAIT);
        String id = ec2.drydock.resource(lease.info().resourceId().orElseThrow()).orElseThrow().attributes().get("instance_id");
        ec2.fake.instanceDies(id, InstanceState.TERMINATED);
        Await.until("the lease breaks", WAIT, () -> lease.info().status() == LeaseStatus.BROKEN || lease.info().status() == LeaseStatus.DESTROYED);
        assertThat(lease.info().statusReason()).contains("instance " + id).contains("terminated outside Drydock");
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
