package dev.drydock.testing.ec2;

import static dev.drydock.testing.ec2.Ec2TestClients.IMAGE;
import static dev.drydock.testing.ec2.Ec2TestClients.SUBNET_A;
import static dev.drydock.testing.ec2.Ec2TestClients.ZONE_A;
import static dev.drydock.testing.ec2.Ec2TestClients.awaitState;
import static dev.drydock.testing.ec2.Ec2TestClients.describe;
import static dev.drydock.testing.ec2.Ec2TestClients.errorCode;
import static dev.drydock.testing.ec2.Ec2TestClients.launch;
import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.testing.Await;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.DescribeInstancesResponse;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceStateChange;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;
import software.amazon.awssdk.services.ec2.model.Reservation;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.RunInstancesResponse;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

/** The fake's instance life and API shapes, as the real SDK reads them. */
class FakeEc2InstancesTest {
    private FakeEc2 fake;
    private Ec2Client ec2;

    @BeforeEach
    void start() {
        fake = Ec2TestClients.startedFake(Ec2TestClients.fast());
        ec2 = Ec2TestClients.client(fake.endpoint());
    }

    @AfterEach
    void stop() {
        ec2.close();
        fake.close();
    }

    @Test
    void aLaunchIsPendingThenRunningWithEverythingItAskedFor() {
        String userData = Base64.getEncoder().encodeToString("#cloud-config\n".getBytes(StandardCharsets.UTF_8));
        RunInstancesResponse run = ec2.runInstances(launch()
                .securityGroupIds("sg-0123456789abcdef0").userData(userData).clientToken("res-1-attempt-1")
                .tagSpecifications(tags(ResourceType.INSTANCE, "drydock:resource", "1"), tags(ResourceType.VOLUME, "drydock:resource", "1"))
                .blockDeviceMappings(b -> b.deviceName("/dev/xvda").ebs(e -> e.volumeSize(30)))
                .instanceMarketOptions(m -> m.marketType("spot"))
                .build());

        Instance launched = run.instances().getFirst();
        assertThat(run.reservationId()).matches("r-[0-9a-f]{17}");
        assertThat(launched.instanceId()).matches("i-[0-9a-f]{17}");
        assertThat(launched.state().name()).isEqualTo(InstanceStateName.PENDING);
        assertThat(launched.privateIpAddress()).startsWith("127.").isNotEqualTo("127.0.0.1");
        assertThat(launched.placement().availabilityZone()).isEqualTo(ZONE_A);
        assertThat(launched.subnetId()).isEqualTo(SUBNET_A);
        assertThat(launched.imageId()).isEqualTo(IMAGE);
        assertThat(launched.instanceTypeAsString()).isEqualTo("t3.micro");
        assertThat(launched.clientToken()).isEqualTo("res-1-attempt-1");
        assertThat(launched.launchTime()).isNotNull();
        assertThat(launched.securityGroups()).extracting(g -> g.groupId()).containsExactly("sg-0123456789abcdef0");
        assertThat(launched.tags()).containsExactly(Tag.builder().key("drydock:resource").value("1").build());
        assertThat(launched.instanceLifecycleAsString()).isEqualTo("spot");

        Instance running = awaitState(ec2, launched.instanceId(), InstanceStateName.RUNNING);
        assertThat(running.state().code()).isEqualTo(16);
        assertThat(running.blockDeviceMappings()).singleElement().satisfies(b -> assertThat(b.ebs().volumeId()).startsWith("vol-"));
        InstanceSnapshot snapshot = fake.instance(launched.instanceId()).orElseThrow();
        assertThat(snapshot.volumeTags()).containsEntry("drydock:resource", "1");
        assertThat(snapshot.userData()).isEqualTo("#cloud-config\n");
        assertThat(snapshot.rootVolumeGib()).isEqualTo(30);
        assertThat(snapshot.spot()).isTrue();
    }

    @Test
    void filtersSelectByTagTagKeyStateAndClientToken() {
        String a1 = launchTagged("pool", "a", "token-a1");
        String a2 = launchTagged("pool", "a", "token-a2");
        String b1 = launchTagged("pool", "b", "token-b1");
        String other = launchTagged("owner", "someone-else", "token-x");
        ec2.createTags(r -> r.resources(b1).tags(Tag.builder().key("pool").value("a-late").build()));

        assertThat(ids(ec2.describeInstances(r -> r.filters(filter("tag:pool", "a"))))).containsExactly(a1, a2);
        assertThat(ids(ec2.describeInstances(r -> r.filters(filter("tag:pool", "a*"))))).containsExactly(a1, a2, b1);
        assertThat(ids(ec2.describeInstances(r -> r.filters(filter("tag-key", "owner"))))).containsExactly(other);
        assertThat(ids(ec2.describeInstances(r -> r.filters(filter("client-token", "token-a2"))))).containsExactly(a2);
        ec2.terminateInstances(r -> r.instanceIds(a1));
        assertThat(ids(ec2.describeInstances(r -> r.filters(filter("tag:pool", "a"),
                filter("instance-state-name", "pending", "running"))))).containsExactly(a2);
        assertThat(errorCode(() -> ec2.describeInstances(r -> r.filters(filter("no-such-filter", "x")))))
                .isEqualTo("InvalidParameterValue");
    }

    @Test
    void maxResultsPagesThroughEveryInstanceOnce() {
        List<String> launched = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            launched.add(launchTagged("page", "yes", "page-" + i));
        }

        List<Integer> pageSizes = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        String token = null;
        do {
            String next = token;
            DescribeInstancesResponse page = ec2.describeInstances(r -> r.maxResults(5).nextToken(next));
            pageSizes.add(ids(page).size());
            seen.addAll(ids(page));
            token = page.nextToken();
        } while (token != null);

        assertThat(pageSizes).containsExactly(5, 5, 2);
        assertThat(seen).containsExactlyElementsOf(launched);
        assertThat(ec2.describeInstancesPaginator(r -> r.maxResults(5)).reservations().stream()
                .flatMap(r -> r.instances().stream()).map(Instance::instanceId)).containsExactlyElementsOf(launched);
        assertThat(errorCode(() -> ec2.describeInstances(r -> r.maxResults(3)))).isEqualTo("InvalidParameterValue");
        assertThat(errorCode(() -> ec2.describeInstances(r -> r.maxResults(5).instanceIds(launched.getFirst()))))
                .isEqualTo("InvalidParameterCombination");
    }

    @Test
    void aClientTokenReturnsTheSameInstanceForTheSameRequestAndRefusesAnother() {
        RunInstancesResponse first = ec2.runInstances(launch().clientToken("res-7-attempt-1").build());
        RunInstancesResponse again = ec2.runInstances(launch().clientToken("res-7-attempt-1").build());

        assertThat(again.reservationId()).isEqualTo(first.reservationId());
        assertThat(again.instances().getFirst().instanceId()).isEqualTo(first.instances().getFirst().instanceId());
        assertThat(fake.instances()).hasSize(1);
        assertThat(errorCode(() -> ec2.runInstances(launch().clientToken("res-7-attempt-1").instanceType("t3.large").build())))
                .isEqualTo("IdempotentParameterMismatch");
        assertThat(ec2.runInstances(launch().clientToken("res-7-attempt-2").build()).instances().getFirst().instanceId())
                .isNotEqualTo(first.instances().getFirst().instanceId());
        assertThat(fake.liveInstances()).isEqualTo(2);
    }

    @Test
    void terminationIsIdempotentAndTheTerminatedStayListedForAWhile() {
        String id = ec2.runInstances(launch().build()).instances().getFirst().instanceId();
        awaitState(ec2, id, InstanceStateName.RUNNING);

        InstanceStateChange change = ec2.terminateInstances(r -> r.instanceIds(id)).terminatingInstances().getFirst();
        assertThat(change.previousState().name()).isEqualTo(InstanceStateName.RUNNING);
        assertThat(change.currentState().name()).isEqualTo(InstanceStateName.SHUTTING_DOWN);
        InstanceStateChange repeated = ec2.terminateInstances(r -> r.instanceIds(id)).terminatingInstances().getFirst();
        assertThat(repeated.currentState().name()).isIn(InstanceStateName.SHUTTING_DOWN, InstanceStateName.TERMINATED);

        Instance terminated = awaitState(ec2, id, InstanceStateName.TERMINATED);
        assertThat(terminated.stateReason().code()).isEqualTo("Client.UserInitiatedShutdown");
        assertThat(fake.liveInstances()).isZero();
        assertThat(ec2.terminateInstances(r -> r.instanceIds(id)).terminatingInstances().getFirst().currentState().name())
                .isEqualTo(InstanceStateName.TERMINATED);

        Await.until("the terminated instance to leave the listing", Ec2TestClients.WAIT, () -> fake.instances().isEmpty());
        assertThat(errorCode(() -> describe(ec2, id))).isEqualTo("InvalidInstanceID.NotFound");
        assertThat(errorCode(() -> ec2.terminateInstances(r -> r.instanceIds(id)))).isEqualTo("InvalidInstanceID.NotFound");
        assertThat(errorCode(() -> describe(ec2, "not-an-id"))).isEqualTo("InvalidInstanceID.Malformed");
        assertThat(fake.maxLiveInstances()).isEqualTo(1);
    }

    @Test
    void theCallLogHidesUserDataAndCountsEachAction() {
        String id = ec2.runInstances(launch().userData("c2VjcmV0").build()).instances().getFirst().instanceId();
        describe(ec2, id);
        describe(ec2, id);
        errorCode(() -> ec2.runInstances(launch().imageId("ami-00000000000000000").build()));

        assertThat(fake.callCount("DescribeInstances")).isEqualTo(2);
        assertThat(fake.callCount("RunInstances")).isEqualTo(2);
        Ec2Call run = fake.calls().getFirst();
        assertThat(run.ok()).isTrue();
        assertThat(run.params()).containsEntry("ImageId", IMAGE).containsEntry("UserData", "(8 characters)");
        assertThat(fake.calls().getLast().outcome()).isEqualTo("InvalidAMIID.NotFound");
    }

    private String launchTagged(String key, String value, String clientToken) {
        return ec2.runInstances(launch().clientToken(clientToken).tagSpecifications(tags(ResourceType.INSTANCE, key, value)).build())
                .instances().getFirst().instanceId();
    }

    private static TagSpecification tags(ResourceType type, String key, String value) {
        return TagSpecification.builder().resourceType(type).tags(Tag.builder().key(key).value(value).build()).build();
    }

    private static Filter filter(String name, String... values) {
        return Filter.builder().name(name).values(values).build();
    }

    private static List<String> ids(DescribeInstancesResponse response) {
        return response.reservations().stream().map(Reservation::instances).flatMap(List::stream).map(Instance::instanceId).toList();
    }
}
