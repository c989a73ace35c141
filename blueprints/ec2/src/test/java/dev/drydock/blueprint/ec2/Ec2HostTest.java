package dev.drydock.blueprint.ec2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.api.Command;
import dev.drydock.api.CommandInterface;
import dev.drydock.api.FilesystemInterface;
import dev.drydock.api.Lease;
import dev.drydock.api.LeaseRequest;
import dev.drydock.api.ResourceInfo;
import dev.drydock.api.spi.ObjectTags;
import dev.drydock.testing.Await;
import dev.drydock.testing.ec2.InstanceSnapshot;
import dev.drydock.testing.ec2.InstanceState;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The ec2-host blueprint through the engine, against the fake EC2 with the real SDK and a real sshd
 * per instance: a lease boots an instance, runs commands and moves files on it, and its release
 * terminates it, the resource being destroyed only once EC2 lists it terminated; and trust on
 * first use is an opt-in recorded on the resource.
 */
class Ec2HostTest extends Ec2FixtureTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void aLeaseBootsATaggedInstanceWorksOnItOverSshAndItsReleaseTerminatesIt() {
        ec2.drydock.blueprints().create("ec2-a", Ec2HostBlueprint.TYPE, ec2.config(Map.of()), 2);
        Lease lease = ec2.drydock.allocator().acquire(LeaseRequest.builder("host").blueprint("ec2-a").build());
        lease.await(WAIT);

        ResourceInfo resource = ec2.drydock.resource(lease.info().resourceId().orElseThrow()).orElseThrow();
        String instanceId = resource.attributes().get("instance_id");
        InstanceSnapshot instance = ec2.fake.instance(instanceId).orElseThrow();
        assertThat(instance.tags()).containsAllEntriesOf(new ObjectTags(ec2.drydock.installationId(), blueprintId("ec2-a"), resource.id()).asMap());
        assertThat(instance.volumeTags()).containsEntry(ObjectTags.RESOURCE, Long.toString(resource.id()));
        assertThat(instance.clientToken()).startsWith("drydock-");
        assertThat(resource.attributes()).containsEntry("zone", Ec2Fixture.ZONE_A).containsKey("host_key").containsEntry("address", instance.privateIpAddress());

        CommandInterface commands = lease.commandInterface();
        assertThat(commands.run(Command.of("sh", "-c", "echo hello from $(pwd)")).stdoutText()).startsWith("hello from " + ec2.instanceRoot() + "/resource-" + resource.id() + "/lease-" + lease.id());
        FilesystemInterface files = lease.filesystemInterface();
        files.write("note.txt", "on the instance".getBytes(StandardCharsets.UTF_8));
        assertThat(new String(files.read("note.txt"), StandardCharsets.UTF_8)).isEqualTo("on the instance");

        lease.release();
        Await.until("the idle instance is terminated", WAIT, () -> ec2.fake.instance(instanceId).map(i -> i.state() == InstanceState.TERMINATED)
                .orElse(true) && ec2.drydock.resource(resource.id()).orElseThrow().status() == dev.drydock.api.ResourceStatus.DESTROYED);
        assertThat(ec2.fake.callCount("RunInstances")).isEqualTo(1);
    }

    @Test
    void aDestroyWaitsOutASlowShutdownAndFinishesWithoutOtherResourcesRefreshingTheListing() {
        ec2.fake.faults().slowShutdowns(Duration.ofSeconds(1));
        ec2.drydock.blueprints().create("ec2-slow", Ec2HostBlueprint.TYPE, ec2.config(Map.of()), 1);
        Lease lease = ec2.drydock.allocator().acquire(LeaseRequest.builder("host").blueprint("ec2-slow").build());
        lease.await(WAIT);
        long resourceId = lease.info().resourceId().orElseThrow();
        String instanceId = ec2.drydock.resource(resourceId).orElseThrow().attributes().get("instance_id");

        lease.release();
        Await.until("the lone resource is destroyed once its instance is terminated", Duration.ofSeconds(20),
                () -> ec2.drydock.resource(resourceId).orElseThrow().status() == dev.drydock.api.ResourceStatus.DESTROYED);
        assertThat(ec2.fake.liveInstances()).as("destroyed only after instance %s was terminated", instanceId).isZero();
        assertThat(ec2.fake.callCount("TerminateInstances")).isEqualTo(1);
    }

    @Test
    void trustOnFirstUseIsAnOptInRecordedOnTheResourceAndPinnedAfterwards() {
        ec2.fake.faults().consoleShowsForeignHostKey(); // the console proves nothing, so only the opt-in can connect
        ec2.drydock.blueprints().create("ec2-tofu", Ec2HostBlueprint.TYPE, ec2.config(Map.of("hostKeyTrust", "\"first-use\"")), 1);
        Lease lease = ec2.drydock.allocator().acquire(LeaseRequest.builder("host").blueprint("ec2-tofu").build());
        lease.await(WAIT);
        ResourceInfo resource = ec2.drydock.resource(lease.info().resourceId().orElseThrow()).orElseThrow();
        assertThat(resource.attributes()).containsEntry("host_key_trust", "first-use").containsKey("host_key");
        assertThat(ec2.drydock.logs(java.util.Optional.empty(), java.util.Optional.of(resource.id()), java.util.Optional.empty(), 0, 100))
                .anyMatch(l -> l.message().contains("on first use (hostKeyTrust first-use)"));
        assertThat(lease.commandInterface().run(Command.of("true")).exitCode()).isZero();
        lease.release();
    }

    private long blueprintId(String name) {
        return db.queryLong("SELECT id FROM dd_blueprint WHERE name = '" + name + "'");
    }
}
