package dev.drydock.blueprint.workingcopy;

import dev.drydock.api.LeaseStatus;
import dev.drydock.api.ResourceStatus;
import dev.drydock.core.Drydock;
import dev.drydock.testing.Await;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * Ends everything a test started, as an operator would: releases every lease not yet ended, waits
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
        drydock.leases(Optional.empty(), ALL).stream().filter(l -> RELEASABLE.contains(l.status()))
                .forEach(l -> drydock.releaseLease(l.id(), "test clean-up"));
        Await.until("every lease destroyed", WAIT, () -> drydock.leases(Optional.empty(), ALL).stream()
                .allMatch(l -> l.status() == LeaseStatus.DESTROYED));
        drydock.resources().stream().filter(r -> r.status() == ResourceStatus.ACTIVE || r.status() == ResourceStatus.PENDING)
                .forEach(r -> drydock.releaseResource(r.id()));
        Await.until("every resource destroyed", WAIT, () -> drydock.resources().stream()
                .allMatch(r -> r.status() == ResourceStatus.DESTROYED));
    }
}
