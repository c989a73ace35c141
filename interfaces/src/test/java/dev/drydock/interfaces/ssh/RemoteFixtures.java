package dev.drydock.interfaces.ssh;

import dev.drydock.testing.SshHost;
import java.time.Duration;
import java.util.Optional;

/** Targets and credentials for the real sshd of {@link SshHost}. */
final class RemoteFixtures {
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private RemoteFixtures() {}

    static SshTarget pinnedByFingerprint(SshHost host) {
        return new SshTarget(host.host(), host.port(), host.user(), host.hostKeyFingerprint());
    }

    static SshTarget pinnedByKnownHostsLine(SshHost host) {
        return new SshTarget(host.host(), host.port(), host.user(), host.hostKeyLine());
    }

    static SshCredentials credentials(SshHost host) {
        return new SshCredentials(host.userPrivateKeyPem(), Optional.empty());
    }

    static SshConnection connect(SshHost host) {
        return SshConnection.open(pinnedByFingerprint(host), credentials(host), CONNECT_TIMEOUT);
    }

    /** How many logins sshd has accepted so far: one per TCP connection. */
    static long acceptedLogins(SshHost host) {
        return host.log().lines().filter(line -> line.contains("Accepted publickey")).count();
    }
}
