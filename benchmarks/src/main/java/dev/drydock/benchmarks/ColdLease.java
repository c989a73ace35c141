package dev.drydock.benchmarks;

import dev.drydock.core.Drydock;
import dev.drydock.core.LogEntry;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * One cold lease of the libvirt benchmark, split at the two moments the blueprint records: when
 * the domain was started (its {@code defined-at} attribute, set as libvirt's start returns) and when
 * the guest first answered SSH with its pinned host key (the resource log line the boot step writes
 * as it succeeds). Between them the guest boots, and the engine only polls it (every 0.5 s, each SSH
 * try bounded by the blueprint's connect timeout); before and after is the engine's own work plus
 * libvirt's define and start: placement, overlay and seed, define, start, then the lease's directory.
 *
 * @param total        {@code acquire()} to {@code await()} returning, the lease ACTIVE
 * @param beforeStart  {@code acquire()} to the domain started
 * @param boot         domain started to first SSH answer
 * @param afterSsh     first SSH answer to ACTIVE
 */
record ColdLease(Duration total, Duration beforeStart, Duration boot, Duration afterSsh) {
    /** The blueprint's log line when its boot step sees SSH answer (VmBoot). */
    static final String SSH_ANSWERED = " answers SSH at ";

    /** The engine's share: everything but the guest's boot. */
    Duration engine() {
        return total.minus(boot);
    }

    /** Reads the two moments of resource {@code resourceId} from its attributes and log. */
    static ColdLease of(Drydock drydock, long resourceId, Instant requested, Instant active) {
        Map<String, String> attributes = drydock.resource(resourceId).orElseThrow().attributes();
        String definedAt = attributes.get("defined-at");
        if (definedAt == null) {
            throw new IllegalStateException("resource " + resourceId + " has no defined-at attribute: " + attributes.keySet());
        }
        Instant started = Instant.parse(definedAt);
        Instant answered = sshAnswered(drydock, resourceId).orElseThrow(() -> new IllegalStateException(
                "resource " + resourceId + "'s log has no line containing '" + SSH_ANSWERED + "': did the blueprint's message change?"));
        return new ColdLease(Duration.between(requested, active), Duration.between(requested, started),
                Duration.between(started, answered), Duration.between(answered, active));
    }

    private static Optional<Instant> sshAnswered(Drydock drydock, long resourceId) {
        return drydock.logs(Optional.empty(), Optional.of(resourceId), Optional.empty(), 0, 1000).stream()
                .filter(e -> e.message().contains(SSH_ANSWERED)).map(LogEntry::at).findFirst();
    }
}
