package dev.drydock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.testing.PostgresExtension;
import dev.drydock.testing.SshKeygen;
import dev.drydock.testing.TestDatabase;
import dev.drydock.testing.ec2.FakeEc2;
import dev.drydock.testing.ec2.InstanceSnapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * An ec2-host lease through the daemon and the commands, as typed, against the fake EC2 in this JVM
 * (the real SDK on the wire from the daemon's JVM, a real sshd per instance on 127.0.0.x): the lease
 * boots one instance, whose facts the resource listing shows; exec and fs work on it; its release
 * leaves the instance idle, and an idle instance is terminated at once. Then everything a user or
 * operator could read (each command's output, the daemon's log, the logs, the blueprint and every
 * row of every table) is searched for the AWS secret access key and the SSH private key: credentials
 * are references, read where they are used and never printed, logged or stored.
 *
 * <p>The commands that read a secret (blueprint create checks the references; exec and fs open SSH
 * with the key), and the lease, run in JVMs of their own, so that their log lines are searched too;
 * the rest run in this JVM. An instance launched twice for the one lease fails the test: a resource
 * built for a lease must serve it, not be retired as idle before the lease is placed on it.
 */
@ExtendWith(PostgresExtension.class)
class Ec2CliTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String IMAGE = "ami-0123456789abcdef0";
    private static final String SUBNET = "subnet-0aaaaaaaaaaaaaaaa";
    private static final String ZONE = "us-east-1a";
    private static final String ACCESS_KEY = "AKIAFAKECLITEST00001";
    /** Distinctive, so that finding it anywhere can only mean it leaked. */
    private static final String SECRET_KEY = "Ec2CliTest/secret+KEY/zq7Xw3Vb9Rt2Lp5Nm8Hk4Jd6Fg1Sa0Qe";

    @TempDir
    Path dir;
    private Cli cli;
    /** Each command this test ran and all it printed: searched for the secrets at the end. */
    private Transcript transcript;

    @Test
    void leaseExecFilesAndIdleDestructionOfAnEc2HostWithoutASecretInAnyOutputLogOrRow(TestDatabase db) throws Exception {
        FakeEc2 fake = FakeEc2.builder().bootDelay(Duration.ofMillis(50)).consoleDelay(Duration.ofMillis(100))
                .shutdownDelay(Duration.ofMillis(50)).terminatedListedFor(Duration.ofSeconds(2)).build();
        Process daemon = null;
        try {
            fake.start();
            Path privateKey = dir.resolve("ec2-key");
            SshKeygen.generate(privateKey, "drydock-ec2-cli-test");
            fake.image(IMAGE).subnet(SUBNET, ZONE).keyPair("drydock", Files.readString(SshKeygen.publicKeyOf(privateKey)));
            Path secretKeyFile = secretFile("secret-key", SECRET_KEY);
            Path config = Files.writeString(dir.resolve("ec2.json"), "{\"region\": \"us-east-1\", \"endpoint\": \"" + fake.endpoint() + "\", "
                    + "\"accessKeyId\": \"file:" + secretFile("access-key", ACCESS_KEY) + "\", \"secretAccessKey\": \"file:" + secretKeyFile + "\", "
                    + "\"imageId\": \"" + IMAGE + "\", \"instanceTypes\": [\"t3.micro\"], \"subnets\": [\"" + SUBNET + "\"], "
                    + "\"keyName\": \"drydock\", \"privateKey\": \"file:" + privateKey + "\", "
                    + "\"sshUser\": \"" + fake.loginUser() + "\", \"sshPort\": " + fake.sshPort() + ", \"readinessCommand\": [\"true\"], "
                    + "\"listSeconds\": 0.2, \"callsPerSecond\": 200, \"keepIdleMinutes\": 0, \"root\": \"" + dir.resolve("instances") + "\"}");
            cli = new Cli(db, dir);
            transcript = new Transcript(cli);

            Cli.Result created = inItsOwnJvm("blueprint", "create", "--type", "ec2-host", "--name", "cloud", "--config", config.toString(),
                    "--limit", "2");
            assertThat(created.exitCode()).as(created.stderr()).isZero();
            Path log = Files.createTempFile(dir, "ec2-daemon", ".log");
            daemon = cli.runningDaemon(log);

            Cli.Result leased = inItsOwnJvm("lease", "--type", "host", "--blueprint", "cloud", "--json");
            assertThat(leased.exitCode()).as(leased.stderr()).isZero();
            String id = Long.toString(Cli.jsonLong(leased.stdout(), "id"));
            String resourceId = Long.toString(Cli.jsonLong(leased.stdout(), "resourceId"));

            Cli.Result exec = inItsOwnJvm("exec", id, "--", "sh", "-c", "echo \"$0\"; pwd; exit 7", "on the 'instance'");
            assertThat(exec.exitCode()).as(exec.stderr()).isEqualTo(7);
            assertThat(exec.stdout()).isEqualTo("on the 'instance'\n" + dir.resolve("instances") + "/resource-" + resourceId + "/lease-" + id + "\n");

            Path local = Files.writeString(dir.resolve("put.txt"), "over sftp to an instance\n");
            Path back = dir.resolve("back.txt");
            Cli.Result put = inItsOwnJvm("fs", id, "put", local.toString(), "sub/file.txt");
            assertThat(put.exitCode()).as(put.stderr()).isZero();
            Cli.Result get = inItsOwnJvm("fs", id, "get", "sub/file.txt", back.toString());
            assertThat(get.exitCode()).as(get.stderr()).isZero();
            assertThat(back).hasSameTextualContentAs(local);

            Cli.Result resources = here("resource", "list", "--json");
            String instanceId = Cli.jsonString(resources.stdout(), "instance_id");
            InstanceSnapshot instance = fake.instance(instanceId).orElseThrow(() -> new AssertionError("the fake lists no " + instanceId
                    + " but " + fake.instances() + "\n" + cli.run("logs").stdout()));
            assertThat(resources.stdout()).contains("\"zone\" : \"" + ZONE + "\"").contains("\"subnet\" : \"" + SUBNET + "\"")
                    .contains("\"instance_type\" : \"t3.micro\"").contains("\"market\" : \"on-demand\"")
                    .contains("\"address\" : \"" + instance.privateIpAddress() + "\"").contains("\"host_key\" : \"SHA256:");

            assertThat(here("release", id).exitCode()).isZero();
            Rows.awaitStatus(db, "dd_resource", Long.parseLong(resourceId), "DESTROYED", WAIT);
            assertThat(Cli.jsonString(cli.run("resource", "show", resourceId).stdout(), "status"))
                    .as("the idle instance is terminated and its resource destroyed").isEqualTo("DESTROYED");
            assertThat(fake.liveInstances()).as("instances left").isZero();
            assertThat(fake.callCount("RunInstances")).describedAs(() -> "one launch; the history:\n" + cli.run("logs").stdout()).isEqualTo(1);
            assertThat(Cli.jsonString(here("lease", "show", id, "--json").stdout(), "status")).isEqualTo("DESTROYED");

            here("resource", "show", resourceId);
            here("logs");
            here("logs", "--resource", resourceId);
            here("blueprint", "show", "cloud");
            here("blueprint", "list");
            Map<String, String> searched = transcript.printed();
            searched.put("the daemon's log", Files.readString(log));
            TableDigest.rowsAsText(db).forEach((table, rows) -> searched.put("table " + table, rows));
            assertThat(searched.get("table dd_blueprint")).as("the stored configuration").contains("file:" + secretKeyFile);
            assertThat(searched.get("table dd_resource")).as("the stored resource").contains(instanceId);

            Map<String, String> secrets = new LinkedHashMap<>();
            secrets.put("the AWS secret access key", SECRET_KEY);
            secrets.putAll(Transcript.privateKeySecrets(privateKey));
            assertThat(secrets).hasSizeGreaterThan(3);
            Transcript.assertNoneShows(searched, secrets);
        } finally {
            try {
                if (daemon != null) {
                    daemon.destroy();
                    daemon.waitFor();
                }
            } finally {
                fake.close(); // and with it the sshd of any instance a failed test left
            }
        }
    }

    private Cli.Result inItsOwnJvm(String... args) {
        return transcript.inItsOwnJvm(args);
    }

    private Cli.Result here(String... args) {
        return transcript.here(args);
    }

    private Path secretFile(String name, String value) throws IOException {
        Path file = Files.writeString(dir.resolve(name), value);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }
}
