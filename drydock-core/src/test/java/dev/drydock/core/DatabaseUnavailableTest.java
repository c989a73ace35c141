package dev.drydock.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.drydock.api.Allocator;
import dev.drydock.api.DatabaseUnavailableException;
import dev.drydock.api.DrydockException;
import dev.drydock.api.Lease;
import dev.drydock.api.LeaseRequest;
import dev.drydock.api.LeaseStatus;
import dev.drydock.blueprint.localhost.LocalHostBlueprint;
import dev.drydock.taskqueue.Taskmaster;
import dev.drydock.testing.Await;
import dev.drydock.testing.RestartablePostgres;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With the database stopped, every public entry point throws {@link DatabaseUnavailableException}
 * naming the database in plain words (no SQL, no library class), and all of them work again once
 * it is back, on the same objects.
 */
class DatabaseUnavailableTest {
    private static final Pattern SQL = Pattern.compile("\\b(SELECT|INSERT|UPDATE|DELETE|FROM|WHERE|RETURNING|JOIN|VALUES)\\b");
    private static final Pattern LIBRARY = Pattern.compile("org\\.jdbi|org\\.postgresql|com\\.zaxxer|org\\.flywaydb|com\\.fasterxml"
            + "|java\\.lang|java\\.sql|Exception|Hikari|Jdbi|Flyway|PSQL");
    /** The shortest connection timeout the pool allows. */
    private static final Duration FAIL_FAST = Duration.ofMillis(250);

    @TempDir
    static Path temp;

    @Test
    void everyEntryPointSaysTheDatabaseIsUnavailableAndWorksAgainWhenItIsBack() throws Exception {
        Path root = Files.createTempDirectory(temp, "unavailable-hosts");
        String config = "{\"root\": \"" + root + "\", \"capacity\": 4}";
        try (RestartablePostgres server = new RestartablePostgres(); HikariDataSource pool = server.pool();
             HikariDataSource failingFast = server.pool(FAIL_FAST)) {
            Switchable dataSource = new Switchable(pool);
            run(server, dataSource, failingFast, config);
        }
    }

    private static void run(RestartablePostgres server, Switchable pool, HikariDataSource failingFast, String config) throws Exception {
        try (Drydock drydock = Drydock.builder(pool).register(new LocalHostBlueprint()).build();
             Taskmaster taskmaster = drydock.taskmaster().threads(4).pollInterval(Duration.ofMillis(200)).build().start()) {
            drydock.blueprints().create("local", "local-host", config, 2);
            Allocator allocator = drydock.allocator();
            Lease held = allocator.acquire(host()).await(Duration.ofSeconds(30));

            // each call below waits the pool's connection timeout for the stopped server before it fails
            pool.use(failingFast);
            server.stop();
            unavailable(server, () -> allocator.acquire(host()));
            unavailable(server, () -> allocator.attach(held.id(), held.ownerToken()).await(Duration.ofSeconds(5)));
            unavailable(server, () -> allocator.attach(held.id(), held.ownerToken()).release());
            unavailable(server, held::info);
            unavailable(server, held::filesystemInterface);
            unavailable(server, held::commandInterface);
            unavailable(server, () -> allocator.find(held.id()));
            unavailable(server, () -> drydock.leases(Optional.empty(), 10));
            unavailable(server, drydock::resources);
            unavailable(server, () -> drydock.logs(Optional.empty(), Optional.empty(), Optional.empty(), 0, 10));
            unavailable(server, drydock::leaseCounts);
            unavailable(server, () -> drydock.blueprints().create("other", "local-host", config, 1));
            unavailable(server, () -> drydock.blueprints().list());
            unavailable(server, () -> Drydock.migrate(pool));

            server.start();
            pool.use(pool.first);
            // The pool reconnects in the background: a call may still fail for a moment, and is safe to repeat.
            Await.until("Drydock to reach the database again", Duration.ofSeconds(30), () -> answers(drydock));
            held.filesystemInterface().write("after-restart.txt", "back".getBytes(StandardCharsets.UTF_8));
            assertThat(held.commandInterface()).isNotNull();
            assertThat(held.info().status()).isEqualTo(LeaseStatus.ACTIVE);
            assertThat(allocator.attach(held.id(), held.ownerToken()).await(Duration.ofSeconds(30)).id()).isEqualTo(held.id());
            Lease second = allocator.acquire(host()).await(Duration.ofSeconds(60));
            assertThat(drydock.leases(Optional.of(LeaseStatus.ACTIVE), 10)).extracting(i -> i.id()).contains(held.id(), second.id());
            assertThat(drydock.resources()).isNotEmpty();
            assertThat(drydock.logs(Optional.of(held.id()), Optional.empty(), Optional.empty(), 0, 100)).isNotEmpty();
            assertThat(drydock.blueprints().create("other", "local-host", config, 1).name()).isEqualTo("other");
            held.release();
            second.release();
            assertThat(allocator.find(held.id()).orElseThrow().status()).isIn(LeaseStatus.RELEASED, LeaseStatus.DESTROYED);
        }
    }

    private static void unavailable(RestartablePostgres server, ThrowingCallable call) {
        assertThatThrownBy(call)
                .isInstanceOf(DatabaseUnavailableException.class)
                .isInstanceOf(DrydockException.class)
                .satisfies(e -> {
                    assertThat(e.getMessage()).contains(server.jdbcUrl()).contains("check that PostgreSQL is running");
                    assertThat(SQL.matcher(e.getMessage()).find()).as("SQL in: %s", e.getMessage()).isFalse();
                    assertThat(LIBRARY.matcher(e.getMessage()).find()).as("library name in: %s", e.getMessage()).isFalse();
                });
    }

    private static boolean answers(Drydock drydock) {
        try {
            drydock.leaseCounts();
            return true;
        } catch (DatabaseUnavailableException e) {
            return false;
        }
    }

    /**
     * The data source Drydock is given: the server's usual pool, or, while the server is stopped, a
     * pool on the same server that gives up on a connection sooner. Public, with {@code getJdbcUrl},
     * so that Drydock names the database as it would the pool's.
     */
    public static final class Switchable implements DataSource {
        final HikariDataSource first;
        private volatile HikariDataSource current;

        Switchable(HikariDataSource first) {
            this.first = first;
            this.current = first;
        }

        void use(HikariDataSource pool) {
            current = pool;
        }

        public String getJdbcUrl() {
            return current.getJdbcUrl();
        }

        @Override
        public Connection getConnection() throws SQLException {
            return current.getConnection();
        }

        @Override
        public Connection getConnection(String user, String password) throws SQLException {
            return current.getConnection(user, password);
        }

        @Override
        public PrintWriter getLogWriter() throws SQLException {
            return current.getLogWriter();
        }

        @Override
        public void setLogWriter(PrintWriter out) throws SQLException {
            current.setLogWriter(out);
        }

        @Override
        public void setLoginTimeout(int seconds) throws SQLException {
            current.setLoginTimeout(seconds);
        }

        @Override
        public int getLoginTimeout() throws SQLException {
            return current.getLoginTimeout();
        }

        @Override
        public Logger getParentLogger() {
            return Logger.getLogger(Logger.GLOBAL_LOGGER_NAME);
        }

        @Override
        public <T> T unwrap(Class<T> type) throws SQLException {
            return current.unwrap(type);
        }

        @Override
        public boolean isWrapperFor(Class<?> type) throws SQLException {
            return current.isWrapperFor(type);
        }
    }

    private static LeaseRequest host() {
        return LeaseRequest.builder("host").blueprint("local").build();
    }


}
