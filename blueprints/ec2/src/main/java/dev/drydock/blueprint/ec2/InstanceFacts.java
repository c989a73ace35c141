package dev.drydock.blueprint.ec2;

import dev.drydock.api.spi.ObjectTags;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.ec2.model.Instance;

/** What the blueprint needs of one instance, as a listing saw it. */
record InstanceFacts(String id, String state, Map<String, String> tags, Optional<String> privateAddress, Optional<String> publicAddress,
                     Optional<String> zone, String type, Optional<Instant> launchTime, Optional<String> stateReason) {
    static InstanceFacts of(Instance i) {
        Map<String, String> tags = i.tags().stream().collect(Collectors.toUnmodifiableMap(t -> t.key(), t -> t.value(), (a, b) -> a));
        return new InstanceFacts(i.instanceId(), i.state() == null ? "unknown" : i.state().nameAsString(), tags,
                Optional.ofNullable(i.privateIpAddress()), Optional.ofNullable(i.publicIpAddress()),
                Optional.ofNullable(i.placement()).map(p -> p.availabilityZone()), i.instanceTypeAsString(),
                Optional.ofNullable(i.launchTime()),
                Optional.ofNullable(i.stateReason()).map(r -> r.message()).or(() -> Optional.ofNullable(i.stateTransitionReason())));
    }

    /** The resource its tags name, if it carries all of ours. */
    Optional<Long> resourceId() {
        return ObjectTags.read(tags).map(ObjectTags::resourceId);
    }

    boolean isRunning() {
        return "running".equals(state);
    }

    boolean isPending() {
        return "pending".equals(state);
    }

    /** On its way out or gone: it will never run again as itself. */
    boolean isEnding() {
        return "shutting-down".equals(state) || "terminated".equals(state) || "stopping".equals(state) || "stopped".equals(state);
    }

    boolean isTerminated() {
        return "terminated".equals(state);
    }

    /** Where SSH reaches it. */
    Optional<String> address(boolean usePublic) {
        return usePublic ? publicAddress : privateAddress;
    }
}
