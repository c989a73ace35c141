package dev.drydock.examples;

import dev.drydock.blueprint.ec2.Ec2HostBlueprint;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
        new HostTour(Duration.ofMinutes(15), Duration.ofMinutes(5), "hello from drydock on ec2", facts -> "instance "
                + facts.get("instance_id") + " (" + facts.get("instance_type") + " in " + facts.get("zone") + ", host key "
                + facts.get("host_key") + ")").run(dataSource, new Ec2HostBlueprint(), config, out);
    }
}
