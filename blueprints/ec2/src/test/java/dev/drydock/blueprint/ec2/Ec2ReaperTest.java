package dev.drydock.blueprint.ec2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.api.Lease;
import dev.drydock.api.LeaseRequest;
import dev.drydock.api.spi.ObjectTags;
import dev.drydock.testing.Await;
import dev.drydock.testing.LeakCheck;
import dev.drydock.testing.PostgresExtension;
import dev.drydock.testing.TestDatabase;
import dev.drydock.testing.ec2.InstanceState;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

/**
 * The ec2-host reaper through the engine (decision 46): an instance tagged with our installation
 * and blueprint whose resource row is missing is terminated on the second pass, not the first; a
 * live resource's instance, an untagged instance and another installation's are never touched.
 */
@ExtendWith({PostgresExtension.class, LeakCheck.class})
class Ec2ReaperTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void anOrphanIsTerminatedOnTheSecondPassAndNothingElseIsTouched(TestDatabase db, @TempDir Path dir) {
        try (Ec2Fixture ec2 = new Ec2Fixture(db, dir, Ec2Fixture.fast())) {
            ec2.drydock.blueprints().create("reaped", Ec2HostBlueprint.TYPE, ec2.config(Map.of("reapMinutes", "0.02")), 3);
            long blueprint = db.queryLong("SELECT id FROM dd_blueprint WHERE name = 'reaped'");
            Lease live = ec2.drydock.allocator().acquire(LeaseRequest.builder("host").build());
            live.await(WAIT);
            String liveInstance = ec2.drydock.resource(live.info().resourceId().orElseThrow()).orElseThrow().attributes().get("instance_id");

            String installation = ec2.drydock.installationId();
            try (Ec2Client client = client(ec2.fake.endpoint())) {
                Instant before = Instant.now();
                String orphan = launch(client, new ObjectTags(installation, blueprint, 999_999).asMap());
                String untagged = launch(client, Map.of("Name", "someone else's build box"));
                String foreign = launch(client, new ObjectTags(UUID.randomUUID().toString(), blueprint, 999_998).asMap());

                Await.until("the orphan is terminated", WAIT,
                        () -> ec2.fake.instance(orphan).map(i -> i.state() != InstanceState.RUNNING && i.state() != InstanceState.PENDING).orElse(true));
                long listings = ec2.fake.calls().stream().filter(c -> c.action().equals("DescribeInstances") && c.at().isAfter(before)
                        && c.params().containsValue("pending")).count(); // the reaper's listings ask for live states
                assertThat(listings).as("terminated on a later pass than the one that first saw it").isGreaterThanOrEqualTo(2);
                assertThat(ec2.fake.instance(untagged).orElseThrow().state()).isEqualTo(InstanceState.RUNNING);
                assertThat(ec2.fake.instance(foreign).orElseThrow().state()).isEqualTo(InstanceState.RUNNING);
                assertThat(ec2.fake.instance(liveInstance).orElseThrow().state()).isEqualTo(InstanceState.RUNNING);
                assertThat(db.queryLong("SELECT reaped FROM dd_reaper WHERE blueprint_id = " + blueprint)).isEqualTo(1);

                live.release();
                ec2.cleanUp();
            }
        }
    }

    private static String launch(Ec2Client client, Map<String, String> tags) {
        List<Tag> list = new ArrayList<>();
        tags.forEach((k, v) -> list.add(Tag.builder().key(k).value(v).build()));
        return client.runInstances(r -> r.imageId(Ec2Fixture.IMAGE).instanceType("t3.micro").subnetId(Ec2Fixture.SUBNET_A).keyName("drydock")
                .minCount(1).maxCount(1).tagSpecifications(TagSpecification.builder().resourceType(ResourceType.INSTANCE).tags(list).build()))
                .instances().getFirst().instanceId();
    }

    private static Ec2Client client(URI endpoint) {
        return Ec2Client.builder().region(Region.US_EAST_1).endpointOverride(endpoint)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(Ec2Fixture.ACCESS_KEY, Ec2Fixture.SECRET_KEY)))
                .httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create()).build();
    }
}
