package dev.drydock.testing.ec2;

import dev.drydock.testing.SshHost;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One instance: the facts fixed at launch and the state that changes over its life. Everything but the
 * facts is read and changed only under the {@link InstanceTable}'s lock, and the state only through
 * {@link InstanceTable#move}.
 */
final class FakeInstance {
    /** Why an instance is in its state, as EC2's {@code stateReason}; empty code when there is none. */
    record Reason(String code, String message) {
        static final Reason NONE = new Reason("", "");
    }

    private final String id;
    private final Reservation.Key reservation;
    private final long sequence;
    private final int launchIndex;
    private final LaunchSpec spec;
    private final String zone;
    private final String address;
    private final String authorizedKeys;
    private final Instant launchTime;
    private final String volumeId = Ids.volume();
    private final String spotRequestId;

    private InstanceState state = InstanceState.PENDING;
    private Reason reason = Reason.NONE;
    private String transitionReason = "";
    private final Map<String, String> tags;
    private int unseenDescribes;
    private SshHost sshd;
    private HostKeys hostKeys;
    private Instant runningSince;

    FakeInstance(Reservation.Key reservation, long sequence, int launchIndex, LaunchSpec spec, String zone,
                 String authorizedKeys, int unseenDescribes) {
        this.id = Ids.instance();
        this.reservation = reservation;
        this.sequence = sequence;
        this.launchIndex = launchIndex;
        this.spec = spec;
        this.zone = zone;
        this.address = LoopbackAddresses.next();
        this.authorizedKeys = authorizedKeys;
        this.launchTime = Instant.now();
        this.spotRequestId = spec.spot() ? Ids.spotRequest() : "";
        this.tags = new LinkedHashMap<>(spec.instanceTags());
        this.unseenDescribes = unseenDescribes;
    }

    String id() { return id; }
    Reservation.Key reservation() { return reservation; }
    long sequence() { return sequence; }
    int launchIndex() { return launchIndex; }
    LaunchSpec spec() { return spec; }
    String zone() { return zone; }
    String address() { return address; }
    String authorizedKeys() { return authorizedKeys; }
    Instant launchTime() { return launchTime; }
    String volumeId() { return volumeId; }
    String spotRequestId() { return spotRequestId; }
    InstanceState state() { return state; }
    Reason reason() { return reason; }
    String transitionReason() { return transitionReason; }
    Map<String, String> tags() { return tags; }
    Optional<HostKeys> hostKeys() { return Optional.ofNullable(hostKeys); }
    Optional<Instant> runningSince() { return Optional.ofNullable(runningSince); }

    void state(InstanceState state, Reason reason, String transitionReason) {
        this.state = state;
        this.reason = reason;
        this.transitionReason = transitionReason;
    }

    /** Whether a by-id lookup misses it (eventual consistency); each miss uses one up. */
    boolean takeUnseen() {
        if (unseenDescribes == 0) {
            return false;
        }
        unseenDescribes--;
        return true;
    }

    void booted(SshHost sshd, HostKeys hostKeys, Instant at) {
        this.sshd = sshd;
        this.hostKeys = hostKeys;
        this.runningSince = at;
    }

    /** Takes the instance's sshd away so it can be stopped outside the lock. */
    Optional<SshHost> detachSshd() {
        Optional<SshHost> detached = Optional.ofNullable(sshd);
        sshd = null;
        return detached;
    }

    InstanceSnapshot snapshot() {
        return new InstanceSnapshot(id, reservation.id(), state, reason.code(), address, zone, spec.subnetId(),
                spec.imageId(), spec.instanceType(), spec.keyName(), reservation.clientToken(), launchTime,
                tags, spec.volumeTags(), spec.securityGroupIds(),
                new String(Base64.getDecoder().decode(spec.userData()), StandardCharsets.UTF_8),
                spec.spot(), spec.rootVolumeGib());
    }
}
