package dev.drydock.examples;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.zaxxer.hikari.HikariDataSource;
import dev.drydock.api.Command;
import dev.drydock.api.LeaseInfo;
import dev.drydock.api.LeaseRequest;
import dev.drydock.blueprint.localhost.LocalHostBlueprint;
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
 * Drydock embedded in an application, in one process: a {@code local-host} blueprint on a
 * temporary directory, an in-process taskmaster, a lease on a host, a command and a file through
 * the lease's interfaces, and the release that removes the lease's directory. Uses the PostgreSQL
 * named by {@code DRYDOCK_DB_URL} ({@code jdbc:postgresql://HOST:PORT/DB?user=U&password=P}) if
 * set, else a private one started for the run (see {@link TemporaryPostgres}).
 */
public final class LeaseHostMain {
    private LeaseHostMain() {}

    public static void main(String[] args) throws IOException {
        Path root = Files.createTempDirectory("drydock-example-hosts");
        String url = System.getenv("DRYDOCK_DB_URL");
        if (url != null && !url.isBlank()) {
            try (HikariDataSource pool = new HikariDataSource()) {
                pool.setJdbcUrl(url);
                run(pool, root, System.out);
            }
        } else {
            // A private server for this run, deleted when it ends: binaries kept in DRYDOCK_HOME (default ~/.drydock)
            // like the CLI's, logins with a password on 127.0.0.1 only, as a role that is no superuser.
            try (TemporaryPostgres postgres = TemporaryPostgres.start(LocalPostgres.defaultHome(), Map.of());
                 HikariDataSource pool = new HikariDataSource()) {
                Endpoint endpoint = postgres.endpoint();
                pool.setJdbcUrl(endpoint.jdbcUrl());
                pool.setUsername(endpoint.user());
                pool.setPassword(endpoint.password());
                run(pool, root, System.out);
            }
        }
    }

    /** Leases a host whose slots live under {@code root}, uses it, and releases it, printing each step. */
    public static void run(DataSource dataSource, Path root, PrintStream out) {
        String blueprint = "example-hosts-" + Long.toString(System.currentTimeMillis(), 36);
        try (Drydock drydock = Drydock.builder(dataSource).register(new LocalHostBlueprint()).build();
             Taskmaster taskmaster = drydock.taskmaster().threads(2).build().start()) {
            drydock.blueprints().create(blueprint, LocalHostBlueprint.TYPE, "{\"root\": \"" + root + "\", \"capacity\": 1}", 1);
            out.println("blueprint " + blueprint + " keeps host slots under " + root + "; taskmaster " + taskmaster.id() + " started");
            // Acquire, wait until active, use, and always release; then wait for the clean-up, so the
            // taskmaster is not stopped while it still removes the lease's directory.
            long leaseId = drydock.allocator().withLease(LeaseRequest.builder("host").blueprint(blueprint).build(),
                    Duration.ofSeconds(60), Duration.ofSeconds(30), lease -> {
                        out.println("lease " + lease.id() + " is active on resource " + lease.info().resourceId().orElseThrow());
                        out.println("uname -a: " + lease.commandInterface().run(Command.of("uname", "-a")).stdoutText().strip());
                        lease.filesystemInterface().write("hello.txt", "hello from drydock".getBytes(UTF_8));
                        out.println("hello.txt read back: " + new String(lease.filesystemInterface().read("hello.txt"), UTF_8));
                        return lease.id();
                    });
            LeaseInfo ended = drydock.allocator().find(leaseId).orElseThrow();
            out.println("lease " + ended.id() + " is " + ended.status() + " (" + ended.statusReason() + ")");
        }
    }
}
