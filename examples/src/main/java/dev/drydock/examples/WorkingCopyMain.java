package dev.drydock.examples;

import com.zaxxer.hikari.HikariDataSource;
import dev.drydock.api.Command;
import dev.drydock.api.LeaseRequest;
import dev.drydock.blueprint.localhost.LocalHostBlueprint;
import dev.drydock.blueprint.workingcopy.WorkingCopyBlueprint;
import dev.drydock.core.Drydock;
import dev.drydock.embedded.Endpoint;
import dev.drydock.embedded.LocalPostgres;
import dev.drydock.embedded.TemporaryPostgres;
import dev.drydock.taskqueue.Taskmaster;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import javax.sql.DataSource;

/**
 * A checkout of a repository at a ref, on a local host: a {@code local-host} blueprint for the
 * host, a {@code working-copy} blueprint cloning the repository named by the first argument (a
 * {@code file:}, {@code ssh:} or {@code https:} URL) onto it, and a lease of the ref named by the
 * second (default {@code main}) that prints the commit it got and runs {@code git log -1} in its
 * checkout. Uses the PostgreSQL named by {@code DRYDOCK_DB_URL} if set, else a private one.
 */
public final class WorkingCopyMain {
    private WorkingCopyMain() {}

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: WorkingCopyMain REPOSITORY-URL [REF]");
            System.exit(2);
        }
        Path root = Files.createTempDirectory("drydock-example-hosts");
        String ref = args.length > 1 ? args[1] : "main";
        String url = System.getenv("DRYDOCK_DB_URL");
        if (url != null && !url.isBlank()) {
            try (HikariDataSource pool = new HikariDataSource()) {
                pool.setJdbcUrl(url);
                run(pool, root, args[0], ref, System.out);
            }
        } else {
            try (TemporaryPostgres postgres = TemporaryPostgres.start(LocalPostgres.defaultHome(), Map.of());
                 HikariDataSource pool = new HikariDataSource()) {
                Endpoint endpoint = postgres.endpoint();
                pool.setJdbcUrl(endpoint.jdbcUrl());
                pool.setUsername(endpoint.user());
                pool.setPassword(endpoint.password());
                run(pool, root, args[0], ref, System.out);
            }
        }
    }

    /** Checks out {@code ref} of {@code repository} on a host under {@code root}, prints what it got, and releases everything. */
    public static void run(DataSource dataSource, Path root, String repository, String ref, PrintStream out) {
        String suffix = Long.toString(System.currentTimeMillis(), 36);
        try (Drydock drydock = Drydock.builder(dataSource).register(new LocalHostBlueprint()).register(new WorkingCopyBlueprint()).build();
             Taskmaster taskmaster = drydock.taskmaster().threads(4).build().start()) {
            drydock.blueprints().create("example-hosts-" + suffix, LocalHostBlueprint.TYPE, "{\"root\": \"" + root + "\"}", 1);
            drydock.blueprints().create("example-clones-" + suffix, WorkingCopyBlueprint.TYPE, "{\"repository\": \"" + repository
                    + "\", \"hostBlueprints\": [\"example-hosts-" + suffix + "\"], \"keepIdleMinutes\": 0}", 1);
            LeaseRequest request = LeaseRequest.builder("working-copy").attribute("ref", ref).blueprint("example-clones-" + suffix).build();
            drydock.allocator().withLease(request, Duration.ofMinutes(5), Duration.ofSeconds(60), lease -> {
                out.println("lease " + lease.id() + " has ref " + ref + " at commit " + lease.info().leaseAttributes().get("commit"));
                out.println(lease.commandInterface().run(Command.of("git", "log", "-1", "--format=%h %s")).stdoutText().strip());
                return lease.id();
            });
        }
    }
}
