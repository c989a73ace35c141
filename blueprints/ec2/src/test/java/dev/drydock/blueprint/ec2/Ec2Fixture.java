package dev.drydock.blueprint.ec2;

import dev.drydock.core.Drydock;
import dev.drydock.core.EngineCleanUp;
import dev.drydock.taskqueue.Taskmaster;
import dev.drydock.testing.SshKeygen;
import dev.drydock.testing.TestDatabase;
import dev.drydock.testing.ec2.Ec2Call;
import dev.drydock.testing.ec2.FakeEc2;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A fake EC2 (the real SDK on the wire, a real sshd per instance on 127.0.0.x), a Drydock with the
 * ec2-host blueprint on a test database, and a taskmaster. Credentials and the SSH key are files
 * read through {@code file:} references, as an operator would keep them.
 */
final class Ec2Fixture implements AutoCloseable {
    static final String IMAGE = "ami-0123456789abcdef0";
    static final String SUBNET_A = "subnet-0aaaaaaaaaaaaaaaa";
    static final String SUBNET_B = "subnet-0bbbbbbbbbbbbbbbb";
    static final String ZONE_A = "us-east-1a";
    static final String ZONE_B = "us-east-1b";
    static final String ACCESS_KEY = "AKIAFAKEFAKEFAKE0001";
    static final String SECRET_KEY = "fake-secret-key-never-printed-0123456789";

    final FakeEc2 fake;
    final Drydock drydock;
    final Taskmaster taskmaster;
    final Path dir;
    final Path privateKey;

    Ec2Fixture(TestDatabase db, Path dir, FakeEc2.Builder fakeBuilder) {
        this.dir = dir;
        this.fake = fakeBuilder.build();
        fake.start();
        fake.image(IMAGE).subnet(SUBNET_A, ZONE_A).subnet(SUBNET_B, ZONE_B);
        this.privateKey = dir.resolve("ec2-key");
        SshKeygen.generate(privateKey, "drydock-ec2-test");
        try {
            fake.keyPair("drydock", Files.readString(SshKeygen.publicKeyOf(privateKey)));
            secretFile("access-key", ACCESS_KEY);
            secretFile("secret-key", SECRET_KEY);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.drydock = Drydock.builder(db.dataSource()).stepRetryCap(Duration.ofMillis(500)).register(new Ec2HostBlueprint()).build();
        this.taskmaster = drydock.taskmaster().threads(16).pollInterval(Duration.ofMillis(100)).build().start();
    }

    static FakeEc2.Builder fast() {
        return FakeEc2.builder().bootDelay(Duration.ofMillis(50)).consoleDelay(Duration.ofMillis(100)).shutdownDelay(Duration.ofMillis(50))
                .terminatedListedFor(Duration.ofSeconds(2));
    }

    private void secretFile(String name, String value) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, value);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    }

    /**
     * Where the fake's instances (sshd on this machine) keep lease directories: the test's own, so
     * runs of several tests at once never share one.
     */
    Path instanceRoot() {
        return dir.resolve("instances");
    }

    /** The blueprint's configuration as JSON, with {@code overrides} (JSON values) replacing or adding fields. */
    String config(Map<String, String> overrides) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("region", "\"us-east-1\"");
        fields.put("endpoint", "\"" + fake.endpoint() + "\"");
        fields.put("accessKeyId", "\"file:" + dir.resolve("access-key") + "\"");
        fields.put("secretAccessKey", "\"file:" + dir.resolve("secret-key") + "\"");
        fields.put("imageId", "\"" + IMAGE + "\"");
        fields.put("instanceTypes", "[\"t3.micro\"]");
        fields.put("subnets", "[\"" + SUBNET_A + "\", \"" + SUBNET_B + "\"]");
        fields.put("keyName", "\"drydock\"");
        fields.put("privateKey", "\"file:" + privateKey + "\"");
        fields.put("sshUser", "\"" + fake.loginUser() + "\"");
        fields.put("sshPort", Integer.toString(fake.sshPort()));
        fields.put("readinessCommand", "[\"true\"]");
        fields.put("listSeconds", "0.2");
        fields.put("callsPerSecond", "200");
        fields.put("healthCheckSeconds", "1");
        fields.put("root", "\"" + instanceRoot() + "\"");
        fields.putAll(overrides);
        return fields.entrySet().stream().map(e -> "\"" + e.getKey() + "\": " + e.getValue()).collect(Collectors.joining(", ", "{", "}"));
    }

    /**
     * Ends every lease and resource, then deletes every blueprint: the test class's tests share a
     * database, and a later test's lease for a host must not be served by an earlier test's
     * blueprint, whose fake EC2 and files are gone.
     */
    void cleanUp() {
        try {
            EngineCleanUp.destroyEverything(drydock);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\n" + lastCalls(), e);
        }
        drydock.blueprints().list().forEach(b -> drydock.blueprints().delete(b.name()));
    }

    /** The fake's last calls: with the resources left, which the clean-up names, what a stuck clean-up needs to be read. */
    private String lastCalls() {
        StringBuilder out = new StringBuilder();
        List<Ec2Call> calls = fake.calls();
        out.append("last EC2 calls:\n");
        calls.subList(Math.max(0, calls.size() - 8), calls.size())
                .forEach(c -> out.append("  ").append(c.at()).append(' ').append(c.action()).append(' ').append(c.outcome()).append('\n'));
        return out.toString();
    }

    @Override
    public void close() {
        try {
            taskmaster.close();
        } finally {
            try {
                drydock.close();
            } finally {
                fake.close();
            }
        }
    }
}
