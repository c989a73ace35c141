package dev.drydock.blueprint.ec2;

import dev.drydock.api.spi.ObjectTags;
import dev.drydock.api.spi.OwnedObject;
import dev.drydock.api.spi.Reaper;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.DescribeInstancesRequest;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.TerminateInstancesRequest;

/**
 * Lists the blueprint's instances that are not on their way out, by our tags, and terminates one
 * the engine found orphaned (its resource row missing or DESTROYED on two passes).
 */
final class Ec2Reaper implements Reaper {
    private final Ec2Client ec2;

    Ec2Reaper(Ec2Client ec2) {
        this.ec2 = ec2;
    }

    @Override
    public List<OwnedObject> list(String installationId, long blueprintId) {
        List<OwnedObject> found = new ArrayList<>();
        ec2.describeInstancesPaginator(DescribeInstancesRequest.builder().maxResults(1000).filters(
                        Filter.builder().name("tag:" + ObjectTags.INSTALLATION).values(installationId).build(),
                        Filter.builder().name("tag:" + ObjectTags.BLUEPRINT).values(Long.toString(blueprintId)).build(),
                        Filter.builder().name("instance-state-name").values("pending", "running", "stopping", "stopped").build()).build())
                .reservations().forEach(r -> r.instances().forEach(i -> {
                    InstanceFacts facts = InstanceFacts.of(i);
                    found.add(new OwnedObject(facts.id(), facts.tags()));
                }));
        return List.copyOf(found);
    }

    @Override
    public void destroy(OwnedObject object) {
        try {
            ec2.terminateInstances(TerminateInstancesRequest.builder().instanceIds(object.id()).build());
        } catch (AwsServiceException e) {
            if (!(Ec2Errors.classify(e) instanceof Ec2Errors.NotFound)) {
                throw e;
            }
        }
    }
}
