package dev.drydock.blueprint.remotehost;

import dev.drydock.api.LeaseStatus;
import dev.drydock.api.ResourceStatus;
import dev.drydock.core.Drydock;
import dev.drydock.taskqueue.Taskmaster;
import dev.drydock.testing.Await;
import dev.drydock.testing.SshHost;
import dev.drydock.testing.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** Real sshd hosts on 127.0.0.1, a Drydock with the remote-host blueprint, and a taskmaster; closing it ends what they made. */
final class RemotePool implements AutoCloseable {
    final List<SshHost> hosts = new ArrayList<>();
    final Drydock drydock;
    final Taskmaster taskmaster;

    RemotePool(TestDatabase db, int count) {
        this(db, count, builder -> builder);
    }

    /** With more settings on the Drydock (e.g. a secret scheme). */
    RemotePool(TestDatabase db, int count, java.util.function.UnaryOperator<Drydock.Builder> settings) {
        for (int i = 0; i < count; i++) {
            hosts.add(SshHost.start());
        }
        drydock = settings.apply(Drydock.builder(db.dataSource()).register(new RemoteHostBlueprint())).build();
        taskmaster = drydock.taskmaster().threads(16).pollInterval(Duration.ofMillis(200)).build().start();
    }

    /** A pool configuration with each host's own key by file reference and its pinned host key. */
    String config(int capacity, String root) {
        String hostList = java.util.stream.IntStream.range(0, hosts.size()).mapToObj(i -> {
            SshHost h = hosts.get(i);
            return "{\"name\": \"h" + i + "\", \"address\": \"" + h.host() + "\", \"port\": " + h.port() + ", \"user\": \""
                    + h.user() + "\", \"hostKey\": \"" + h.hostKeyFingerprint() + "\", \"privateKey\": \"file:" + h.userPrivateKeyPath() + "\"}";
        }).collect(Collectors.joining(", "));
        return "{\"hosts\": [" + hostList + "], \"capacity\": " + capacity + ", \"root\": \"" + root + "\", \"healthCheckSeconds\": 1}";
    }

    /**
     * Ends what the test left before its hosts go (so no later test's taskmaster health-checks a
     * host that is gone): releases every lease not yet ended and waits until each is destroyed,
     * then releases every idle resource and waits until each is destroyed or failing to be (a host
     * the test made unreachable), and stops.
     */
    @Override
    public void close() {
        try {
            drydock.leases(Optional.empty(), ALL).stream()
                    .filter(l -> l.status() == LeaseStatus.PENDING || l.status() == LeaseStatus.ACQUIRED || l.status() == LeaseStatus.ACTIVE)
                    .forEach(l -> drydock.releaseLease(l.id(), "test clean-up"));
            Await.until("every lease destroyed", Duration.ofSeconds(60), () -> drydock.leases(Optional.empty(), ALL).stream()
                    .allMatch(l -> l.status() == LeaseStatus.DESTROYED));
            drydock.resources().stream().filter(r -> r.status() == ResourceStatus.ACTIVE || r.status() == ResourceStatus.PENDING)
                    .forEach(r -> drydock.releaseResource(r.id()));
            Await.until("every resource destroyed or failing to be", Duration.ofSeconds(60), () -> drydock.resources().stream()
                    .allMatch(r -> r.status() == ResourceStatus.DESTROYED || r.statusReason().contains("destroy failing")));
        } finally {
            taskmaster.close();
            drydock.close();
            hosts.forEach(SshHost::close);
        }
    }

    /** As many leases as an operator view lists at once: more than any test makes. */
    private static final int ALL = 10_000;
}
