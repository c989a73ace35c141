package dev.drydock.examples;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.drydock.api.Command;
import dev.drydock.api.Lease;
import dev.drydock.api.LeaseInfo;
import dev.drydock.api.LeaseRequest;
import dev.drydock.api.ResourceInfo;
import dev.drydock.blueprint.ec2.Ec2HostBlueprint;
import dev.drydock.core.Drydock;
import dev.drydock.taskqueue.Taskmaster;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import javax.sql.DataSource;

/**
 * An {@code ec2-host} blueprint in one process: the blueprint, an in-process taskmaster, a lease on
 * an instance it boots, a command and a file over SSH, and the release after which the idle
 * instance is terminated. The blueprint's configuration (docs/ec2.md) is read from the JSON file
 * named by {@code DRYDOCK_EC2_CONFIG}; its secrets are references in it ({@code file:}, {@code env:}),
 * or the AWS SDK's default credential chain. It boots a real instance, which costs money until the
 * example terminates it. Uses the PostgreSQL named by {@code DRYDOCK_DB_URL} if set, else a private
 * one started for the run.
 */
public final class Ec2HostMain {
    private Ec2HostMain() {}

    public static void main(String[] args) throws IOException {
        String configFile = System.getenv("DRYDOCK_EC2_CONFIG");
        if (configFile == null || configFile.isBlank()) {
            throw new IllegalArgumentException("DRYDOCK_EC2_CONFIG is not set: name a JSON file with the ec2-host configuration (docs/ec2.md)");
        }
        String config = Files.readString(Path.of(configFile));
        ExampleDatabase.use(dataSource -> run(dataSource, config, System.out));
    }

    /** Leases an instance of a blueprint with {@code config}, uses it, releases it, and waits until the instance is terminated. */
    public static void run(DataSource dataSource, String config, PrintStream out) {
        String blueprint = "example-ec2-" + Long.toString(System.currentTimeMillis(), 36);
        try (Drydock drydock = Drydock.builder(dataSource).register(new Ec2HostBlueprint()).build();
             Taskmaster taskmaster = drydock.taskmaster().threads(4).build().start()) {
            drydock.blueprints().create(blueprint, Ec2HostBlueprint.TYPE, config, 1);
            out.println("blueprint " + blueprint + " created; taskmaster " + taskmaster.id() + " started");
            Lease lease = drydock.allocator().acquire(LeaseRequest.builder("host").blueprint(blueprint).build());
            long resourceId;
            try (lease) {
                lease.await(Duration.ofMinutes(15));
                resourceId = lease.info().resourceId().orElseThrow();
                Map<String, String> facts = drydock.resource(resourceId).map(ResourceInfo::attributes).orElse(Map.of());
                out.println("lease " + lease.id() + " is active on instance " + facts.get("instance_id") + " (" + facts.get("instance_type")
                        + " in " + facts.get("zone") + ", host key " + facts.get("host_key") + ")");
                out.println("uname -a: " + lease.commandInterface().run(Command.of("uname", "-a")).stdoutText().strip());
                lease.filesystemInterface().write("hello.txt", "hello from drydock on ec2".getBytes(UTF_8));
                out.println("hello.txt read back: " + new String(lease.filesystemInterface().read("hello.txt"), UTF_8));
            }
            LeaseInfo ended = lease.awaitEnded(Duration.ofSeconds(60));
            out.println("lease " + ended.id() + " is " + ended.status());
            awaitDestroyed(drydock, resourceId, Duration.ofMinutes(5));
            out.println("resource " + resourceId + " is " + drydock.resource(resourceId).map(ResourceInfo::status).orElseThrow()
                    + ": " + drydock.resource(resourceId).map(ResourceInfo::statusReason).orElse(""));
        }
    }

    /**
     * Keeps the taskmaster running until the idle instance is terminated (the blueprint keeps none
     * unless its keepIdleMinutes says so): an example that stopped at once would leave it running,
     * and paid for, until a taskmaster next ran.
     */
    private static void awaitDestroyed(Drydock drydock, long resourceId, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (drydock.resource(resourceId).map(r -> r.status() != dev.drydock.api.ResourceStatus.DESTROYED).orElse(false)
                && System.nanoTime() < deadline) {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
