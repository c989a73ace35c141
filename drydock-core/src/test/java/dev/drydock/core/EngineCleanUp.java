package dev.drydock.core;

import dev.drydock.api.LeaseStatus;
import dev.drydock.api.ResourceStatus;
import dev.drydock.testing.Await;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Ends everything a test started, as an operator would: ends every warm pool, releases every lease not yet ended, waits
 * until the engine has cleaned each up, then releases every idle resource and waits until each is
 * destroyed. Needs a running taskmaster. Ends a test class's tests so that {@code LeakCheck} finds
 * nothing left behind.
 */
public final class EngineCleanUp {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Set<LeaseStatus> RELEASABLE = EnumSet.of(LeaseStatus.PENDING, LeaseStatus.ACQUIRED, LeaseStatus.ACTIVE);

    /** As many leases as an operator view lists at once: more than any test makes. */
    private static final int ALL = 10_000;

    private EngineCleanUp() {}

    public static void destroyEverything(Drydock drydock) {
        // a warm pool would build again what is destroyed here
        drydock.blueprints().warmPools().forEach(p -> drydock.blueprints().setWarmPool(p.blueprint(), p.attributes(), 0, Optional.empty()));
        drydock.leases(Optional.empty(), ALL).stream().filter(l -> RELEASABLE.contains(l.status()))
                .forEach(l -> drydock.releaseLease(l.id(), "test clean-up"));
        try {
            Await.until("every lease destroyed", WAIT, () -> drydock.leases(Optional.empty(), ALL).stream()
                    .allMatch(l -> l.status() == LeaseStatus.DESTROYED));
            drydock.resources().stream().filter(r -> r.status() == ResourceStatus.ACTIVE || r.status() == ResourceStatus.PENDING)
                    .forEach(r -> drydock.releaseResource(r.id()));
            Await.until("every resource destroyed", WAIT, () -> drydock.resources().stream()
                    .allMatch(r -> r.status() == ResourceStatus.DESTROYED));
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\n" + resourcesLeft(drydock), e);
        }
    }

    /** The resources not destroyed, each with its reason and last log lines: what a stuck clean-up needs to be read. */
    public static String resourcesLeft(Drydock drydock) {
        StringBuilder out = new StringBuilder();
        drydock.resources().stream().filter(r -> r.status() != ResourceStatus.DESTROYED).forEach(r -> {
            out.append("resource ").append(r.id()).append(' ').append(r.status()).append(": ").append(r.statusReason()).append('\n');
            List<LogEntry> logs = drydock.logs(Optional.empty(), Optional.of(r.id()), Optional.empty(), 0, ALL);
            logs.subList(Math.max(0, logs.size() - 8), logs.size())
                    .forEach(l -> out.append("  ").append(l.at()).append(' ').append(l.message()).append('\n'));
        });
        return out.toString();
    }
}
