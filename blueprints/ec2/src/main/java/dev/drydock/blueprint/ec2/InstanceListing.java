package dev.drydock.blueprint.ec2;

import dev.drydock.api.spi.ObjectTags;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.DescribeInstancesRequest;
import software.amazon.awssdk.services.ec2.model.Filter;

/**
 * Every instance one blueprint tagged, from one paginated DescribeInstances filtered by our tags,
 * shared by every resource's steps (Nodepool's way): booting 200 instances costs one listing per
 * interval, not 200 describes. Instances are never asked for by id, so EC2's eventual consistency
 * shows as "not listed yet", which the steps read as such. Thread-safe: one refresh at a time, and
 * steps that come meanwhile take its result.
 */
final class InstanceListing {
    /** What one listing saw, and when it started (anything changed before then is in it). */
    record Snapshot(Instant takenAt, Map<String, InstanceFacts> byId) {
        static final Snapshot NONE = new Snapshot(Instant.EPOCH, Map.of());

        Optional<InstanceFacts> instance(String id) {
            return Optional.ofNullable(byId.get(id));
        }

        /** The instances tagged with {@code resourceId}, oldest launch first. */
        List<InstanceFacts> ofResource(long resourceId) {
            return byId.values().stream().filter(i -> i.resourceId().equals(Optional.of(resourceId)))
                    .sorted(java.util.Comparator.comparing(i -> i.launchTime().orElse(Instant.EPOCH))).toList();
        }
    }

    private static final int PAGE = 1000;
    private static final Duration JUST_AFTER = Duration.ofMillis(10);
    private final ReentrantLock refreshing = new ReentrantLock();
    private volatile Snapshot latest = Snapshot.NONE;

    /**
     * A listing taken no earlier than {@code notBefore}: the latest if it is recent enough, else a
     * new one if the latest is older than {@code interval} (so never more than one listing per
     * interval, however many steps wait for changes of their own) and {@code budget} allows a call
     * now. Empty when neither: the step checks again ({@link #untilNext}).
     */
    Optional<Snapshot> since(Instant notBefore, Duration interval, Ec2Client ec2, String installationId, long blueprintId, CallBudget budget) {
        Snapshot seen = latest;
        if (!seen.takenAt().isBefore(notBefore)) {
            return Optional.of(seen);
        }
        refreshing.lock();
        try {
            if (!latest.takenAt().isBefore(notBefore)) {
                return Optional.of(latest); // another step refreshed it while this one waited
            }
            if (latest.takenAt().isAfter(Instant.now().minus(interval)) || !budget.take()) {
                return Optional.empty();
            }
            latest = list(ec2, installationId, blueprintId);
            return Optional.of(latest);
        } finally {
            refreshing.unlock();
        }
    }

    /**
     * How long until the latest listing is older than {@code interval}, when a step asking for one
     * no older than that makes a new one: a step waiting to see a change checks again then, not a
     * whole interval after it last looked.
     */
    Duration untilNext(Duration interval) {
        Duration left = Duration.between(Instant.now(), latest.takenAt().plus(interval));
        return left.isNegative() ? Duration.ZERO : left.plus(JUST_AFTER);
    }

    /** A listing no older than {@code maxAge}. */
    Optional<Snapshot> fresh(Duration maxAge, Ec2Client ec2, String installationId, long blueprintId, CallBudget budget) {
        return since(Instant.now().minus(maxAge), maxAge, ec2, installationId, blueprintId, budget);
    }

    private static Snapshot list(Ec2Client ec2, String installationId, long blueprintId) {
        Instant started = Instant.now();
        DescribeInstancesRequest request = DescribeInstancesRequest.builder().maxResults(PAGE)
                .filters(Filter.builder().name("tag:" + ObjectTags.INSTALLATION).values(installationId).build(),
                        Filter.builder().name("tag:" + ObjectTags.BLUEPRINT).values(Long.toString(blueprintId)).build())
                .build();
        List<InstanceFacts> all = new ArrayList<>();
        ec2.describeInstancesPaginator(request).reservations()
                .forEach(r -> r.instances().forEach(i -> all.add(InstanceFacts.of(i))));
        return new Snapshot(started, all.stream().collect(Collectors.toUnmodifiableMap(InstanceFacts::id, i -> i, (a, b) -> b)));
    }
}
