package dev.drydock.blueprint.remotehost;

import dev.drydock.core.Drydock;
import dev.drydock.taskqueue.Taskmaster;
import dev.drydock.testing.SshHost;
import dev.drydock.testing.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** Real sshd hosts on 127.0.0.1, a Drydock with the remote-host blueprint, and a taskmaster. */
final class RemotePool implements AutoCloseable {
    final List<SshHost> hosts = new ArrayList<>();
    final Drydock drydock;
    final Taskmaster taskmaster;

    RemotePool(TestDatabase db, int count) {
        for (int i = 0; i < count; i++) {
            hosts.add(SshHost.start());
        }
        drydock = Drydock.builder(db.dataSource()).register(new RemoteHostBlueprint()).build();
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

    @Override
    public void close() {
        taskmaster.close();
        drydock.close();
        hosts.forEach(SshHost::close);
    }
}
