package dev.drydock.interfaces.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.drydock.api.Command;
import dev.drydock.testing.SshHost;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SshConnectionsTest {
    private static final String RESOURCE = "resource-1";
    private static final Duration BOUND = Duration.ofSeconds(20);

    @TempDir
    Path lease;

    private SshHost host;
    private SshConnections connections;

    @BeforeEach
    void setUp() {
        host = SshHost.start();
        connections = new SshConnections();
    }

    @AfterEach
    void tearDown() {
        connections.close();
        host.close();
    }

    @Test
    void reusesOneConnectionPerKeyAcrossInterfaces() {
        SshCommandInterface first = commands();
        SshCommandInterface second = commands();
        long loginsBefore = RemoteFixtures.acceptedLogins(host);

        for (int i = 0; i < 5; i++) {
            assertThat(first.run(Command.of("true")).succeeded()).isTrue();
            assertThat(second.run(Command.of("true")).succeeded()).isTrue();
        }
        new SftpFilesystemInterface(this::connection, lease.toString()).write("f.txt", new byte[] {1});

        assertThat(connection()).isSameAs(connection());
        assertThat(RemoteFixtures.acceptedLogins(host)).isEqualTo(loginsBefore + 1);
    }

    @Test
    void failsClearlyWhenTheHostDiesAndReconnectsWhenItIsBack() {
        SshCommandInterface commands = commands();
        assertThat(commands.run(Command.of("true")).succeeded()).isTrue();
        SshConnection before = connection();

        host.kill();

        assertTimeoutPreemptively(BOUND, () -> assertThatThrownBy(() -> commands.run(Command.of("true")))
                .isInstanceOf(SshException.class)
                .hasMessageContaining(host.host() + ":" + host.port()));
        assertTimeoutPreemptively(BOUND, () -> assertThatThrownBy(() -> commands.run(Command.of("true")))
                .isInstanceOf(HostUnreachableException.class));

        host.restart();

        assertThat(commands.run(Command.of("echo", "back")).stdoutText()).isEqualTo("back\n");
        assertThat(connection()).isNotSameAs(before);
        assertThat(before.isAlive()).isFalse();
    }

    @Test
    void aConnectionLostAfterItWasHandedOutIsReplacedOnceBeforeTheCommandStarts() {
        SshConnection lost = connection();
        connections.evict(RESOURCE); // it dies between the supplier handing it out and a session opening on it
        AtomicInteger supplied = new AtomicInteger();
        SshCommandInterface commands = new SshCommandInterface(
                () -> supplied.getAndIncrement() == 0 ? lost : connection(), lease.toString());

        assertThat(commands.run(Command.of("echo", "ran")).stdoutText()).isEqualTo("ran\n");
        assertThat(supplied).as("connections asked for: the lost one, then one fresh").hasValue(2);
        assertThat(lost.isAlive()).isFalse();
    }

    @Test
    void replacesTheConnectionWhenTheTargetChangesAndEvictCloses() {
        SshConnection byFingerprint = connection();
        SshConnection byLine = connections.get(RESOURCE, RemoteFixtures.pinnedByKnownHostsLine(host),
                RemoteFixtures.credentials(host), RemoteFixtures.CONNECT_TIMEOUT);

        assertThat(byLine).isNotSameAs(byFingerprint);
        assertThat(byFingerprint.isAlive()).isFalse();

        connections.evict(RESOURCE);

        assertThat(byLine.isAlive()).isFalse();
        assertThat(connection()).isNotSameAs(byLine);
    }

    @Test
    void closeClosesEveryConnection() {
        SshConnection one = connection();
        SshConnection two = connections.get("resource-2", RemoteFixtures.pinnedByFingerprint(host),
                RemoteFixtures.credentials(host), RemoteFixtures.CONNECT_TIMEOUT);

        connections.close();
        connections.close();

        assertThat(one.isAlive()).isFalse();
        assertThat(two.isAlive()).isFalse();
        assertThatThrownBy(this::connection).isInstanceOf(IllegalStateException.class);
    }

    private SshCommandInterface commands() {
        return new SshCommandInterface(this::connection, lease.toString());
    }

    private SshConnection connection() {
        return connections.get(RESOURCE, RemoteFixtures.pinnedByFingerprint(host), RemoteFixtures.credentials(host),
                RemoteFixtures.CONNECT_TIMEOUT);
    }
}
