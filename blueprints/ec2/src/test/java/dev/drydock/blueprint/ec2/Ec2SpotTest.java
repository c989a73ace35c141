package dev.drydock.blueprint.ec2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.api.Lease;
import dev.drydock.api.LeaseRequest;
import dev.drydock.api.LeaseStatus;
import dev.drydock.testing.Await;
import dev.drydock.testing.ec2.Ec2Call;
import dev.drydock.testing.ec2.InstanceState;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Spot instances (DESIGN §10): a build asks for spot in every subnet before on-demand, a build
 * without the fallback waits naming the missing spot capacity instead of buying on-demand, later
 * builds skip the placements just refused, and a spot interruption breaks the lease on the
 * instance with EC2's reason.
 */
class Ec2SpotTest extends Ec2FixtureTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String SPOT = "spot";

    private Lease lease(String blueprint) {
        return ec2.drydock.allocator().acquire(LeaseRequest.builder("host").blueprint(blueprint).build());
    }

    private List<Ec2Call> launches() {
        return ec2.fake.calls().stream().filter(c -> c.action().equals("RunInstances")).toList();
    }

    private static boolean asksForSpot(Ec2Call call) {
        return SPOT.equals(call.params().get("InstanceMarketOptions.MarketType"));
    }

    /** "spot subnet-… outcome" or "on-demand subnet-… outcome". */
    private static String market(Ec2Call launch) {
        return (asksForSpot(launch) ? SPOT : "on-demand") + " " + launch.params().get("SubnetId") + " " + launch.outcome();
    }

    @Test
    void withoutSpotCapacityABuildFallsBackToOnDemandAndTheNextSkipsTheRefusedPlacements() {
        ec2.fake.faults().noSpotCapacity();
        ec2.drydock.blueprints().create("spot-first", Ec2HostBlueprint.TYPE, ec2.config(Map.of("spot", "true")), 2);
        Lease first = lease("spot-first");
        first.await(WAIT);
        var resource = ec2.drydock.resource(first.info().resourceId().orElseThrow()).orElseThrow();
        assertThat(resource.attributes()).containsEntry("market", "on-demand").containsEntry("subnet", Ec2Fixture.SUBNET_A);
        assertThat(launches()).extracting(Ec2SpotTest::market).containsExactly(
                "spot " + Ec2Fixture.SUBNET_A + " InsufficientInstanceCapacity",
                "spot " + Ec2Fixture.SUBNET_B + " InsufficientInstanceCapacity",
                "on-demand " + Ec2Fixture.SUBNET_A + " ok");

        Lease second = lease("spot-first"); // capacity 1 per instance: a second instance
        second.await(WAIT);
        assertThat(launches()).as("the second build asks on-demand at once, where spot was just refused").hasSize(4);
        assertThat(asksForSpot(launches().get(3))).isFalse();
        assertThat(ec2.fake.instances()).filteredOn(i -> i.state() != InstanceState.TERMINATED).noneMatch(i -> i.spot());
        first.release();
        second.release();
    }

    @Test
    void withoutTheFallbackALeaseWaitsNamingTheMissingSpotCapacityAndNothingOnDemandIsBought() {
        ec2.fake.faults().noSpotCapacity();
        ec2.drydock.blueprints().create("spot-only", Ec2HostBlueprint.TYPE, ec2.config(Map.of("spot", "true", "onDemandFallback", "false")), 2);
        Lease lease = lease("spot-only");
        Await.until("the lease waits naming the spot capacity", WAIT,
                () -> lease.info().statusReason().contains("EC2 had no capacity for any of"));
        assertThat(lease.info().statusReason()).contains("(spot)");
        assertThat(lease.info().status()).isEqualTo(LeaseStatus.PENDING);
        assertThat(launches()).hasSize(2).allMatch(Ec2SpotTest::asksForSpot);
        assertThat(ec2.fake.liveInstances()).isZero();
        lease.release();
    }

    @Test
    void aSpotInterruptionBreaksTheActiveLeaseWithEc2sReason() {
        ec2.drydock.blueprints().create("spot-interrupted", Ec2HostBlueprint.TYPE, ec2.config(Map.of("spot", "true")), 2);
        Lease lease = lease("spot-interrupted");
        lease.await(WAIT);
        var resource = ec2.drydock.resource(lease.info().resourceId().orElseThrow()).orElseThrow();
        assertThat(resource.attributes()).containsEntry("market", SPOT);
        String id = resource.attributes().get("instance_id");

        ec2.fake.instanceDies(id, InstanceState.TERMINATED);
        Await.until("the lease breaks", WAIT, () -> lease.info().status() == LeaseStatus.BROKEN || lease.info().status() == LeaseStatus.DESTROYED);
        assertThat(lease.info().statusReason()).contains("instance " + id).contains("Server.SpotInstanceTermination").contains("spot interruption");
    }
}
