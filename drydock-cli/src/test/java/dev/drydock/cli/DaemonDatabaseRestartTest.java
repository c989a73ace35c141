package dev.drydock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.drydock.api.DrydockException;
import dev.drydock.api.Lease;
import dev.drydock.api.LeaseRequest;
import dev.drydock.core.Drydock;
import dev.drydock.testing.Await;
import dev.drydock.testing.ClassPostgres;
import dev.drydock.testing.RestartablePostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL restarts under {@code drydock-taskmaster}: in the middle of its schema migration, and
 * while it works leases. It lives through both, says in one line per fault what failed and what it
 * does next (no stack trace, no SQL), and serves leases again once the database is back.
 */
class DaemonDatabaseRestartTest {
    /** The schema lock's advisory key ("drydock" in ASCII, see the queue's SchemaLock); holding it stops a migration mid-way. */
    private static final long SCHEMA_LOCK = 0x0064_7279_646f_636bL;
    private static final Duration WAIT = Duration.ofSeconds(90);

    @RegisterExtension
    static final ClassPostgres classServer = new ClassPostgres();

    @TempDir
    static Path temp;

    @Test
    void aRestartDuringTheSchemaMigrationIsWaitedOut() throws Exception {
        RestartablePostgres server = classServer.server();
        String url = url("migration_restart");
        OperatorLog.Started daemon;
        try (Connection holder = DriverManager.getConnection(url)) {
            execute(holder, "SELECT pg_advisory_lock(" + SCHEMA_LOCK + ")");
            daemon = OperatorLog.daemon(temp, "daemon-migration-restart", List.of("--db", url, "--threads", "4"));
            Await.until("the daemon's migration waits for the schema lock", WAIT, () -> waitsForTheSchemaLock(holder));
            server.stop(); // the migration's connections are cut; so is the holder's
        }
        try {
            Await.until("a start-up attempt failed on the restart", WAIT,
                    () -> !daemon.log().lines("not available (the server is shutting down); retrying in").isEmpty()
                            || !daemon.log().lines("not available (connection refused); retrying in").isEmpty());
            server.start();
            Await.until("the daemon to start work", WAIT, () -> daemon.log().text().contains("running with 4 threads"));
            createPool(url);
            Cli.Result leased = new Cli(url, temp).run("lease", "--type", "host", "--json");
            assertThat(leased.exitCode()).as(leased.stderr()).isZero();
            assertThat(Cli.jsonString(leased.stdout(), "status")).isEqualTo("ACTIVE");
        } finally {
            stop(daemon.process());
        }
        daemon.log().assertReadable();
        assertThat(daemon.log().text()).doesNotContain(server.password());
    }

    @Test
    void aRestartUnderWorkIsOneLinePerFaultAndWorkResumes() throws Exception {
        RestartablePostgres server = classServer.server();
        String url = url("work_restart");
        OperatorLog.Started daemon = OperatorLog.daemon(temp, "daemon-restart", List.of("--db", url, "--threads", "4"));
        AtomicBoolean loading = new AtomicBoolean(true);
        AtomicInteger served = new AtomicInteger();
        try (HikariDataSource pool = server.pool("work_restart")) {
            Await.until("the daemon to start work", WAIT, () -> daemon.log().text().contains("running with 4 threads"));
            createPool(url);
            try (Drydock drydock = Drydock.builder(pool).migrate(false).build()) {
                Thread load = Thread.ofVirtual().start(() -> leaseOverAndOver(drydock, loading, served));
                Await.until("leases served", WAIT, () -> served.get() >= 3);

                server.stop();
                Await.until("the daemon to notice", WAIT, () -> !daemon.log().lines("database unavailable").isEmpty());
                server.start();
                int before = served.get();
                Await.until("leases served after the restart", WAIT, () -> served.get() >= before + 3);
                loading.set(false);
                load.join(WAIT);
            }
            assertThat(daemon.process().isAlive()).as("the daemon lived through the restart").isTrue();
        } finally {
            loading.set(false);
            stop(daemon.process());
        }
        daemon.log().assertReadable();
        assertThat(daemon.log().lines(" WARN ")).as("each fault says what happens next").isNotEmpty()
                .allSatisfy(line -> assertThat(line).containsAnyOf("retrying in", "trying again in", "reconnecting in", "will be retried"));
        assertThat(daemon.log().lines(" INFO ")).as("and the outage's end is said once the database answers again")
                .anySatisfy(line -> assertThat(line).contains("database reachable again after").contains("failed attempt(s)"));
    }

    /** Acquires, awaits and releases leases until told to stop; a failure while the database is away is tried again. */
    private static void leaseOverAndOver(Drydock drydock, AtomicBoolean loading, AtomicInteger served) {
        while (loading.get()) {
            try {
                Lease lease = drydock.allocator().acquire(LeaseRequest.builder("host").build()).await(Duration.ofSeconds(30));
                lease.release();
                served.incrementAndGet();
            } catch (DrydockException e) {
                pause();
            }
        }
    }

    private static void createPool(String url) throws Exception {
        Cli.Result created = new Cli(url, temp).run("blueprint", "create", "--type", "local-host", "--name", "pool", "--set",
                "root=" + Files.createTempDirectory(temp, "daemon-restart-hosts"), "--set", "capacity=4", "--limit", "1");
        assertThat(created.exitCode()).as(created.stderr()).isZero();
    }

    private static boolean waitsForTheSchemaLock(Connection c) {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")) {
            rs.next();
            return rs.getLong(1) > 0;
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /** A new database of the test's own on the class's server, with the credentials in the URL. */
    private static String url(String database) {
        RestartablePostgres server = classServer.server();
        return server.createDatabase(database) + "?user=" + server.user() + "&password=" + server.password();
    }

    private static void stop(Process daemon) throws InterruptedException {
        daemon.destroy(); // SIGTERM
        assertThat(daemon.waitFor(60, TimeUnit.SECONDS)).as("the daemon stopped").isTrue();
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
