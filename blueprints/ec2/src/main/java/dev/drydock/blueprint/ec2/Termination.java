package dev.drydock.blueprint.ec2;

import dev.drydock.api.spi.ObjectTags;
import dev.drydock.api.spi.Progress;
import dev.drydock.api.spi.ResourceContext;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ec2.model.DescribeInstancesRequest;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.TerminateInstancesRequest;

/**
 * One step of destroying a resource's instance: terminate it, then wait until a listing taken after
 * the terminate shows it terminated (or gone). The resource keeps its place in the blueprint's limit
 * until then. A resource whose launch was never recorded (the taskmaster died between RunInstances
 * and storing its answer) finds its instance by the ClientTokens of its attempts.
 */
final class Termination {
    private final Ec2HostConfig config;
    private final ResourceContext resource;
    private final Ec2HostBlueprint blueprint;

    Termination(Ec2HostConfig config, ResourceContext resource, Ec2HostBlueprint blueprint) {
        this.config = config;
        this.resource = resource;
        this.blueprint = blueprint;
    }

    Progress step() {
        CallBudget budget = blueprint.budget(config, resource);
        if (!budget.take()) {
            return budget.checkAgain();
        }
        try {
            List<String> ids = instances();
            if (ids.isEmpty()) {
                // nothing was launched, so nothing freed a place in the quota: a pause it caused goes on
                return Progress.done();
            }
            String since = resource.resource().attributes().get(Ec2HostBlueprint.TERMINATING_SINCE);
            if (since == null) {
                return terminate(ids, "");
            }
            Optional<InstanceListing.Snapshot> listed = blueprint.listingSince(config, resource, Instant.parse(since));
            if (listed.isEmpty()) {
                return Progress.checkAgainIn(blueprint.untilNextListing(config, resource), "instance " + String.join(", ", ids) + " to be terminated");
            }
            List<String> left = ids.stream().filter(id -> listed.get().instance(id).filter(i -> !i.isTerminated()).isPresent()).toList();
            if (left.isEmpty()) {
                blueprint.gate(config).destroyed();
                resource.log("instance " + String.join(", ", ids) + " terminated");
                return Progress.done();
            }
            boolean stillUp = left.stream().anyMatch(id -> listed.get().instance(id).filter(i -> !i.isEnding()).isPresent());
            return stillUp ? terminate(left, " again") // EC2 lost the request, or someone started it again
                    : Progress.checkAgainIn(blueprint.untilNextListing(config, resource), "instance " + String.join(", ", left) + " to be terminated ("
                            + listed.get().instance(left.getFirst()).map(InstanceFacts::state).orElse("?") + ")");
        } catch (AwsServiceException e) {
            return switch (Ec2Errors.classify(e)) {
                case Ec2Errors.Throttled t -> Progress.checkAgainIn(Duration.ofSeconds(5), "EC2 throttling the blueprint's calls; backing off");
                case Ec2Errors.NotFound n -> notFound();
                default -> throw e;
            };
        }
    }

    /**
     * TerminateInstances did not find the instance: terminated long ago and forgotten, or launched so
     * lately that EC2 does not know it everywhere yet. Only a listing tells which, and an instance
     * still listed alive is terminated again rather than left running without its resource.
     */
    private Progress notFound() {
        List<String> ids = instances();
        Optional<InstanceListing.Snapshot> listed = blueprint.listingSince(config, resource, Instant.now());
        if (listed.isEmpty()) {
            return Progress.checkAgainIn(blueprint.untilNextListing(config, resource), "a listing to show whether instance "
                    + String.join(", ", ids) + " is gone");
        }
        List<String> alive = ids.stream().filter(id -> listed.get().instance(id).filter(i -> !i.isTerminated()).isPresent()).toList();
        if (alive.isEmpty()) {
            blueprint.gate(config).destroyed();
            resource.log("instance " + String.join(", ", ids) + " is gone");
            return Progress.done();
        }
        resource.log("EC2 did not find instance " + String.join(", ", alive) + " to terminate, but lists it; terminating it again");
        return Progress.checkAgainIn(blueprint.untilNextListing(config, resource), "instance " + String.join(", ", alive) + " to be terminated");
    }

    private Progress terminate(List<String> ids, String again) {
        blueprint.ec2(config, resource).terminateInstances(TerminateInstancesRequest.builder().instanceIds(ids).build());
        resource.setAttribute(Ec2HostBlueprint.TERMINATING_SINCE, Instant.now().toString());
        resource.log("terminating instance " + String.join(", ", ids) + again);
        return Progress.checkAgainIn(blueprint.untilNextListing(config, resource), "instance " + String.join(", ", ids) + " to be terminated");
    }

    /** The resource's instance, recorded or found by the ClientTokens of its attempts. */
    private List<String> instances() {
        String recorded = resource.resource().attributes().get(Ec2HostBlueprint.INSTANCE_ID);
        if (recorded != null) {
            return List.of(recorded);
        }
        ObjectTags owner = ObjectTags.of(resource.resource());
        int attempts = Ec2HostBlueprint.number(resource.resource().attributes().get(Ec2HostBlueprint.ATTEMPT)) + 1;
        List<String> tokens = IntStream.range(0, attempts).mapToObj(a -> Launcher.clientToken(owner, a)).toList();
        List<String> found = new ArrayList<>();
        blueprint.ec2(config, resource).describeInstancesPaginator(DescribeInstancesRequest.builder()
                        .filters(Filter.builder().name("client-token").values(tokens).build()).build())
                .reservations().forEach(r -> r.instances().stream()
                        .filter(i -> i.state() == null || !"terminated".equals(i.state().nameAsString()))
                        .forEach(i -> found.add(i.instanceId())));
        if (found.size() == 1) {
            // recorded, so later steps follow it to terminated like any other, once the token lookup no longer lists it
            resource.setAttribute(Ec2HostBlueprint.INSTANCE_ID, found.getFirst());
            resource.log("found instance " + found.getFirst() + " by its ClientToken: its launch was never recorded");
        }
        return found;
    }
}
