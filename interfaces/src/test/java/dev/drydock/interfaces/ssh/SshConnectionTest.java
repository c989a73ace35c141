package dev.drydock.interfaces.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drydock.api.Command;
import dev.drydock.api.InvalidRequestException;
import dev.drydock.testing.SshHost;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SshConnectionTest {
    private static SshHost host;

    @TempDir
    Path lease;

    @TempDir
    Path keys;

    @BeforeAll
    static void startHost() {
        host = SshHost.start();
    }

    @AfterAll
    static void stopHost() {
        host.close();
    }

    @Test
    void connectsWithThePinnedFingerprintOrTheKnownHostsLine() {
        String[] fields = host.hostKeyLine().split(" ");
        List<SshTarget> targets = List.of(
                RemoteFixtures.pinnedByFingerprint(host),
                RemoteFixtures.pinnedByKnownHostsLine(host),
                new SshTarget(host.host(), host.port(), host.user(), host.host() + " " + fields[1] + " " + fields[2]));

        for (SshTarget target : targets) {
            try (SshConnection connection = SshConnection.open(target, RemoteFixtures.credentials(host),
                    RemoteFixtures.CONNECT_TIMEOUT)) {
                assertThat(new SshCommandInterface(() -> connection, lease.toString()).run(Command.of("true")).succeeded())
                        .as(target.hostKey()).isTrue();
            }
        }
    }

    @Test
    void refusesAHostWhoseKeyDoesNotMatchThePinnedFingerprint() {
        byte[] digest = new byte[32];
        new SecureRandom().nextBytes(digest);
        String wrong = "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
        SshTarget target = new SshTarget(host.host(), host.port(), host.user(), wrong);
        long loginsBefore = RemoteFixtures.acceptedLogins(host);

        assertThatThrownBy(() -> SshConnection.open(target, RemoteFixtures.credentials(host), RemoteFixtures.CONNECT_TIMEOUT))
                .isInstanceOfSatisfying(HostKeyRejectedException.class, e -> {
                    assertThat(e.offeredFingerprint()).isEqualTo(host.hostKeyFingerprint());
                    assertThat(e.getMessage())
                            .contains(host.hostKeyFingerprint())
                            .contains(host.host() + ":" + host.port())
                            .contains("ssh-keyscan -p " + host.port() + " " + host.host());
                });
        assertThat(RemoteFixtures.acceptedLogins(host)).as("no login was attempted").isEqualTo(loginsBefore);
    }

    @Test
    void refusesAChangedHostKeyUntilTheNewOneIsConfigured() {
        try (SshHost reinstalled = SshHost.start()) {
            SshTarget before = RemoteFixtures.pinnedByKnownHostsLine(reinstalled);
            RemoteFixtures.connect(reinstalled).close();

            reinstalled.replaceHostKey();

            assertThatThrownBy(() -> SshConnection.open(before, RemoteFixtures.credentials(reinstalled),
                    RemoteFixtures.CONNECT_TIMEOUT))
                    .isInstanceOf(HostKeyRejectedException.class)
                    .hasMessageContaining(reinstalled.hostKeyFingerprint())
                    .hasMessageContaining(reinstalled.host() + ":" + reinstalled.port())
                    .hasMessageContaining("if the host key changed legitimately");
            SshConnection.open(RemoteFixtures.pinnedByKnownHostsLine(reinstalled), RemoteFixtures.credentials(reinstalled),
                    RemoteFixtures.CONNECT_TIMEOUT).close();
            SshConnection.open(RemoteFixtures.pinnedByFingerprint(reinstalled), RemoteFixtures.credentials(reinstalled),
                    RemoteFixtures.CONNECT_TIMEOUT).close();
        }
    }

    @Test
    void refusesAnUnauthorisedKeyWithoutShowingIt() {
        String otherKey = SshHost.generatePrivateKeyPem(keys);
        SshCredentials credentials = new SshCredentials(otherKey, Optional.empty());

        assertThatThrownBy(() -> SshConnection.open(RemoteFixtures.pinnedByFingerprint(host), credentials,
                RemoteFixtures.CONNECT_TIMEOUT))
                .isInstanceOfSatisfying(SshAuthenticationException.class, e -> {
                    assertThat(e.getMessage()).contains(host.user() + "@" + host.host() + ":" + host.port());
                    assertNoKeyMaterial(e, otherKey);
                });
    }

    @Test
    void logsInWithAnEncryptedKeyAndItsPassphrase() throws Exception {
        Path key = keys.resolve("encrypted");
        Files.copy(host.userPrivateKeyPath(), key);
        Process keygen = new ProcessBuilder("ssh-keygen", "-q", "-p", "-P", "", "-N", "open sesame", "-f", key.toString())
                .redirectErrorStream(true).start();
        assertThat(keygen.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(keygen.exitValue()).isZero();
        String encrypted = Files.readString(key);

        SshConnection.open(RemoteFixtures.pinnedByFingerprint(host),
                new SshCredentials(encrypted, Optional.of("open sesame")), RemoteFixtures.CONNECT_TIMEOUT).close();
        assertThatThrownBy(() -> SshConnection.open(RemoteFixtures.pinnedByFingerprint(host),
                new SshCredentials(encrypted, Optional.of("hunter2-guess")), RemoteFixtures.CONNECT_TIMEOUT))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.field()).isEqualTo("privateKey");
                    assertThat(e.getMessage()).doesNotContain("hunter2");
                    assertNoKeyMaterial(e, encrypted);
                });
    }

    @Test
    void refusesTextThatIsNotAKey() {
        SshCredentials credentials = new SshCredentials("not a key at all, just some secret text", Optional.empty());

        assertThatThrownBy(() -> SshConnection.open(RemoteFixtures.pinnedByFingerprint(host), credentials,
                RemoteFixtures.CONNECT_TIMEOUT))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageStartingWith("privateKey")
                .hasMessageNotContaining("secret text");
    }

    @Test
    void reportsAClosedPortAsUnreachable() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            closedPort = socket.getLocalPort();
        }
        SshTarget target = new SshTarget("127.0.0.1", closedPort, host.user(), host.hostKeyFingerprint());

        assertThatThrownBy(() -> SshConnection.open(target, RemoteFixtures.credentials(host), RemoteFixtures.CONNECT_TIMEOUT))
                .isInstanceOf(HostUnreachableException.class)
                .hasMessageContaining("127.0.0.1:" + closedPort);
    }

    @Test
    void reportsAHostThatNeverAnswersAsATimeout() throws IOException {
        // The kernel completes the TCP handshake from the backlog; nobody ever sends an SSH banner.
        try (ServerSocket silent = new ServerSocket(0, 5, InetAddress.getByName("127.0.0.1"))) {
            SshTarget target = new SshTarget("127.0.0.1", silent.getLocalPort(), host.user(), host.hostKeyFingerprint());

            assertThatThrownBy(() -> SshConnection.open(target, RemoteFixtures.credentials(host), Duration.ofSeconds(1)))
                    .isInstanceOfSatisfying(SshTimeoutException.class, e -> {
                        assertThat(e.timeout()).isEqualTo(Duration.ofSeconds(1));
                        assertThat(e.getMessage()).contains("127.0.0.1:" + silent.getLocalPort()).contains("PT1S");
                    });
        }
    }

    @Test
    void credentialsNeverShowTheKeyOrPassphrase() {
        String key = host.userPrivateKeyPem();
        SshCredentials credentials = new SshCredentials(key, Optional.of("passphrase-42"));

        assertThat(credentials.toString()).contains("<redacted>").doesNotContain("passphrase-42");
        key.lines().filter(line -> !line.isBlank()).forEach(line -> assertThat(credentials.toString()).doesNotContain(line));
    }

    @Test
    void validatesTargets() {
        String key = host.hostKeyFingerprint();
        assertField(() -> new SshTarget(" ", 22, "root", key), "host");
        assertField(() -> new SshTarget("h", 0, "root", key), "port");
        assertField(() -> new SshTarget("h", 65536, "root", key), "port");
        assertField(() -> new SshTarget("h", 22, "", key), "user");
        assertField(() -> new SshTarget("h", 22, "root", "SHA256:tooshort"), "hostKey");
        assertField(() -> new SshTarget("h", 22, "root", "h ssh-ed25519"), "hostKey");
        assertField(() -> new SshTarget("h", 22, "root", "h ssh-rsa " + host.hostKeyLine().split(" ")[2]), "hostKey");
    }

    private static void assertField(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String field) {
        assertThatThrownBy(call).isInstanceOfSatisfying(InvalidRequestException.class,
                e -> assertThat(e.field()).isEqualTo(field));
    }

    private static void assertNoKeyMaterial(Throwable e, String key) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String text = String.valueOf(t.getMessage());
            key.lines().filter(line -> line.length() >= 8 && !line.startsWith("-----"))
                    .forEach(line -> assertThat(text).doesNotContain(line));
        }
    }
}
