package dev.drydock.blueprint.ec2;

import dev.drydock.api.spi.Decision;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What one blueprint learnt from EC2 that should stop it building for a while, in this process:
 * placements without capacity (cold for {@link #COLD_FOR}), a quota reached (the blueprint pauses
 * for its {@code quotaPauseSeconds} at a time, then tries one build), and a configuration EC2 refused (until
 * the configuration changes). The engine asks {@link #decide} before it builds, so leases wait with
 * the reason instead of failing builds in a loop.
 */
final class BuildGate {
    static final Duration COLD_FOR = Duration.ofMinutes(3);
    private final Map<Placement, Instant> coldUntil = new ConcurrentHashMap<>();
    private final Map<Ec2HostConfig, String> refused = new ConcurrentHashMap<>();
    private volatile Instant quotaUntil = Instant.EPOCH;
    private volatile String quotaReason = "";

    void cold(Placement placement, Duration forHowLong) {
        coldUntil.put(placement, Instant.now().plus(forHowLong));
    }

    boolean isCold(Placement placement) {
        return coldUntil.getOrDefault(placement, Instant.EPOCH).isAfter(Instant.now());
    }

    /**
     * The first placement from {@code from} on that has not lately lacked capacity, so a new build
     * does not ask again where the last one was refused; {@code from} itself when all of them have.
     */
    int firstWarm(List<Placement> placements, int from) {
        for (int i = from; i < placements.size(); i++) {
            if (!isCold(placements.get(i))) {
                return i;
            }
        }
        return from;
    }

    void quotaReached(String reason, Duration pause) {
        quotaReason = reason;
        quotaUntil = Instant.now().plus(pause);
    }

    /** A launch worked: the quota, if it was reached, has room again. */
    void launched(Placement placement) {
        quotaUntil = Instant.EPOCH;
        coldUntil.remove(placement);
    }

    void refuse(Ec2HostConfig config, String reason) {
        refused.put(config, reason);
    }

    Decision decide(Ec2HostConfig config) {
        String refusal = refused.get(config);
        if (refusal != null) {
            return Decision.no(refusal + "; fix the blueprint's configuration (drydock-control blueprint update)");
        }
        if (quotaUntil.isAfter(Instant.now())) {
            return Decision.no("paused: " + quotaReason + "; building again from " + quotaUntil + ", or when an instance of it is destroyed");
        }
        List<Placement> all = Placement.all(config);
        if (all.stream().allMatch(this::isCold)) {
            Instant first = all.stream().map(p -> coldUntil.getOrDefault(p, Instant.EPOCH)).min(Instant::compareTo).orElse(Instant.now());
            return Decision.no("EC2 had no capacity for any of " + all + "; trying again from " + first);
        }
        return Decision.yes();
    }

    /**
     * An instance of the blueprint was terminated: what the quota counted has room again. Not for a
     * resource whose launch EC2 refused: that frees nothing, and ending the pause there let every
     * waiting lease try (and fail) a launch in turn.
     */
    void destroyed() {
        quotaUntil = Instant.EPOCH;
    }
}
