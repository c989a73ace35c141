package dev.drydock.examples;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.testing.PostgresExtension;
import dev.drydock.testing.SshKeygen;
import dev.drydock.testing.TestDatabase;
import dev.drydock.testing.ec2.FakeEc2;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Runs {@link Ec2HostMain} against the fake EC2 (the real SDK, a real sshd) and a test database, and checks what it printed. */
@ExtendWith(PostgresExtension.class)
class Ec2HostMainTest {
    @Test
    void leasesAnInstanceRunsACommandMovesAFileAndTerminatesIt(TestDatabase db, @TempDir Path dir) throws Exception {
        Path key = dir.resolve("ec2-key");
        SshKeygen.generate(key, "example");
        Files.writeString(dir.resolve("access-key"), "AKIAEXAMPLEEXAMPLE00");
        Files.writeString(dir.resolve("secret-key"), "example-secret");
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (FakeEc2 fake = FakeEc2.builder().bootDelay(Duration.ofMillis(50)).consoleDelay(Duration.ofMillis(100)).build()) {
            fake.start();
            fake.image("ami-0123456789abcdef0").subnet("subnet-0aaaaaaaaaaaaaaaa", "us-east-1a")
                    .keyPair("example", Files.readString(SshKeygen.publicKeyOf(key)));
            String config = "{\"region\": \"us-east-1\", \"endpoint\": \"" + fake.endpoint() + "\", \"accessKeyId\": \"file:"
                    + dir.resolve("access-key") + "\", \"secretAccessKey\": \"file:" + dir.resolve("secret-key")
                    + "\", \"imageId\": \"ami-0123456789abcdef0\", \"instanceTypes\": [\"t3.micro\"], \"subnets\": [\"subnet-0aaaaaaaaaaaaaaaa\"],"
                    + " \"keyName\": \"example\", \"privateKey\": \"file:" + key + "\", \"sshUser\": \"" + fake.loginUser() + "\", \"sshPort\": "
                    + fake.sshPort() + ", \"listSeconds\": 0.2, \"root\": \"" + dir.resolve("instances") + "\"}";

            Ec2HostMain.run(db.dataSource(), config, new PrintStream(buffer, true, UTF_8));
        }

        assertThat(buffer.toString(UTF_8))
                .containsPattern("lease \\d+ is active on instance i-[0-9a-f]+ \\(t3.micro in us-east-1a, host key SHA256:")
                .contains("uname -a: " + System.getProperty("os.name"))
                .contains("hello.txt read back: hello from drydock on ec2")
                .containsPattern("lease \\d+ is DESTROYED")
                .containsPattern("resource \\d+ is DESTROYED");
    }
}
