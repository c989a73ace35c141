package dev.drydock.testing.ec2;

import static dev.drydock.testing.ec2.Ec2TestClients.WAIT;
import static dev.drydock.testing.ec2.Ec2TestClients.awaitState;
import static dev.drydock.testing.ec2.Ec2TestClients.launch;
import static dev.drydock.testing.ec2.Ec2TestClients.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.testing.Await;
import dev.drydock.testing.SshKeygen;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;

/**
 * The instances are real hosts: the console's host key is the one their sshd presents (checked with
 * OpenSSH's own ssh-keyscan), and the launch key pair logs in over SSH with that key pinned.
 */
class FakeEc2SshTest {
    @TempDir
    Path dir;
    private FakeEc2 fake;
    private Ec2Client ec2;
    private Path userKey;

    @BeforeEach
    void start() throws IOException {
        // Terminated instances stay listed, so a test can watch them end however slowly it polls.
        fake = Ec2TestClients.startedFake(Ec2TestClients.fast().terminatedListedFor(Duration.ofMinutes(5)));
        ec2 = Ec2TestClients.client(fake.endpoint());
        userKey = dir.resolve("id_ed25519");
        SshKeygen.generate(userKey, "fake-ec2-test-user");
        fake.keyPair("drydock", Files.readString(SshKeygen.publicKeyOf(userKey)));
    }

    @AfterEach
    void stop() {
        ec2.close();
        fake.close();
    }

    @Test
    void theConsoleShowsTheSshdsOwnHostKeyAndTheLaunchKeyLogsInWithItPinned() throws IOException {
        Instance instance = runningInstance();
        String console = console(instance.instanceId());

        List<String> fingerprints = block(console, "-----BEGIN SSH HOST KEY FINGERPRINTS-----", "-----END SSH HOST KEY FINGERPRINTS-----");
        assertThat(fingerprints).singleElement().satisfies(line -> {
            assertThat(line).matches("256 SHA256:\\S+ .*\\(ED25519\\)");
            assertThat(line.split(" ")[1]).isEqualTo(scannedFingerprint(instance.privateIpAddress()));
        });

        String hostKey = block(console, "-----BEGIN SSH HOST KEY KEYS-----", "-----END SSH HOST KEY KEYS-----").getFirst();
        Ec2TestClients.Result login = ssh(instance.privateIpAddress(), hostKey, userKey);
        assertThat(login.exitCode()).as(login.output()).isZero();
        assertThat(login.output()).contains("logged-in");

        Path stranger = dir.resolve("stranger");
        SshKeygen.generate(stranger, "stranger");
        Ec2TestClients.Result refused = ssh(instance.privateIpAddress(), hostKey, stranger);
        assertThat(refused.exitCode()).isEqualTo(255);
        assertThat(refused.output()).contains("Permission denied");
    }

    @Test
    void aConsoleShowingAForeignHostKeyFailsVerification() throws IOException {
        fake.faults().consoleShowsForeignHostKey();
        Instance instance = runningInstance();
        String console = console(instance.instanceId());

        String shown = block(console, "-----BEGIN SSH HOST KEY FINGERPRINTS-----", "-----END SSH HOST KEY FINGERPRINTS-----").getFirst();
        assertThat(shown.split(" ")[1]).isNotEqualTo(scannedFingerprint(instance.privateIpAddress()));
        String hostKey = block(console, "-----BEGIN SSH HOST KEY KEYS-----", "-----END SSH HOST KEY KEYS-----").getFirst();
        Ec2TestClients.Result login = ssh(instance.privateIpAddress(), hostKey, userKey);
        assertThat(login.exitCode()).isEqualTo(255);
        assertThat(login.output()).contains("Host key verification failed");
    }

    @Test
    void theConsoleIsEmptyWhileTheInstanceBoots() {
        fake.faults().slowBoots(Duration.ofMinutes(5));
        String id = ec2.runInstances(launch().keyName("drydock").build()).instances().getFirst().instanceId();

        assertThat(ec2.getConsoleOutput(r -> r.instanceId(id)).output()).isNull();
        assertThat(fake.instance(id).orElseThrow().state()).isEqualTo(InstanceState.PENDING);
    }

    @Test
    void anInstanceThatDiesLosesItsSshdAndEndsTerminatedOrStopped() {
        Instance doomed = runningInstance();
        Instance stopping = runningInstance();
        assertThat(accepts(doomed.privateIpAddress())).isTrue();

        fake.instanceDies(doomed.instanceId(), InstanceState.TERMINATED);
        fake.instanceDies(stopping.instanceId(), InstanceState.STOPPED);

        assertThat(accepts(doomed.privateIpAddress())).isFalse();
        assertThat(accepts(stopping.privateIpAddress())).isFalse();
        Instance terminated = awaitState(ec2, doomed.instanceId(), InstanceStateName.TERMINATED);
        assertThat(terminated.stateReason().code()).isEqualTo("Server.InternalError");
        Instance stopped = awaitState(ec2, stopping.instanceId(), InstanceStateName.STOPPED);
        assertThat(stopped.stateReason().code()).isEqualTo("Client.InstanceInitiatedShutdown");
        assertThat(fake.liveInstances()).isEqualTo(1); // a stopped instance still exists

        ec2.terminateInstances(r -> r.instanceIds(stopping.instanceId()));
        awaitState(ec2, stopping.instanceId(), InstanceStateName.TERMINATED);
        assertThat(fake.liveInstances()).isZero();
        assertThat(fake.maxLiveInstances()).isEqualTo(2);
    }

    @Test
    void closingTheFakeStopsEverySshdAndTheEndpoint() {
        Instance instance = runningInstance();
        var endpoint = fake.endpoint();

        fake.close();
        fake.close();

        assertThat(accepts(instance.privateIpAddress())).isFalse();
        assertThat(accepts(endpoint.getHost(), endpoint.getPort())).isFalse();
    }

    private Instance runningInstance() {
        String id = ec2.runInstances(launch().keyName("drydock").build()).instances().getFirst().instanceId();
        return awaitState(ec2, id, InstanceStateName.RUNNING);
    }

    private String console(String instanceId) {
        String output = Await.value("console output of " + instanceId, WAIT,
                () -> ec2.getConsoleOutput(r -> r.instanceId(instanceId)).output());
        return new String(Base64.getDecoder().decode(output), StandardCharsets.UTF_8);
    }

    // cloud-init logs the fingerprints through syslog: each line carries a "<14>DATE ec2: " prefix.
    private static List<String> block(String console, String begin, String end) {
        List<String> lines = new ArrayList<>();
        boolean inside = false;
        for (String line : console.split("\r?\n")) {
            String text = line.contains("ec2: ") ? line.substring(line.indexOf("ec2: ") + 5) : line;
            if (text.equals(end)) {
                return lines;
            }
            if (inside) {
                lines.add(text);
            }
            inside |= text.equals(begin);
        }
        throw new AssertionError("no " + begin + " ... " + end + " block in:\n" + console);
    }

    private String scannedFingerprint(String address) throws IOException {
        Ec2TestClients.Result scan = run(List.of("ssh-keyscan", "-p", Integer.toString(fake.sshPort()), "-t", "ed25519", address));
        List<String> keys = scan.output().lines().filter(l -> !l.startsWith("#") && !l.isBlank()).toList();
        assertThat(keys).as(scan.output()).hasSize(1);
        Path file = Files.writeString(dir.resolve("scanned-" + address), keys.getFirst() + "\n");
        return run(List.of("ssh-keygen", "-l", "-E", "sha256", "-f", file.toString())).output().split("\\s+")[1];
    }

    private Ec2TestClients.Result ssh(String address, String hostKey, Path identity) throws IOException {
        Path knownHosts = Files.writeString(dir.resolve("known_hosts-" + address),
                "[" + address + "]:" + fake.sshPort() + " " + hostKey + "\n");
        return run(List.of("ssh", "-F", "/dev/null",
                "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes", "-o", "IdentitiesOnly=yes", "-o", "IdentityAgent=none",
                "-o", "UserKnownHostsFile=" + knownHosts, "-o", "GlobalKnownHostsFile=/dev/null", "-o", "ConnectTimeout=10",
                "-i", identity.toString(), "-p", Integer.toString(fake.sshPort()),
                fake.loginUser() + "@" + address, "echo logged-in"));
    }

    private boolean accepts(String address) {
        return accepts(address, fake.sshPort());
    }

    private static boolean accepts(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
