package dev.drydock.testing;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.drydock.embedded.LoopbackPorts;
import dev.drydock.embedded.PostgresCluster;
import dev.drydock.embedded.PrivateFiles;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * An embedded PostgreSQL server of a test's own that the test may stop and start again on the
 * same port and data directory, to show that clients survive a database restart. Always embedded,
 * even when {@code DRYDOCK_TEST_DB_URL} names an external server, because only a server we own may
 * be restarted. Its superuser ({@link #user()}) logs in with {@link #password()}; {@link #close()}
 * stops it and deletes its data. Tests of one class may share it, each in a database of its own
 * ({@link #createDatabase}), when none of them depends on a server nothing else ever ran on.
 */
public final class RestartablePostgres implements AutoCloseable {
    private final int port;
    private final EmbeddedPostgresFactory.Created embedded;
    private boolean closed;

    public RestartablePostgres() {
        this.embedded = EmbeddedPostgresFactory.create();
        this.port = LoopbackPorts.free();
        try {
            start();
        } catch (RuntimeException e) {
            PrivateFiles.deleteTree(embedded.directory());
            throw e;
        }
    }

    /** Starts the server again on the same port and data directory; no-op if it runs. */
    public synchronized void start() {
        if (!embedded.cluster().status().running()) {
            embedded.cluster().start(port);
        }
    }

    /** Stops the server (fast shutdown: clients are disconnected). */
    public synchronized void stop() {
        embedded.cluster().stop();
    }

    public String jdbcUrl() {
        return jdbcUrl("postgres");
    }

    /** The JDBC URL of database {@code name} on this server, without credentials. */
    public String jdbcUrl(String name) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + name;
    }

    /**
     * Creates an empty database {@code name} (letters, digits, underscores) on this running server,
     * so that tests sharing the server each work in one of their own; returns its {@link #jdbcUrl(String)}.
     */
    public String createDatabase(String name) {
        if (!name.matches("[a-z][a-z0-9_]*")) {
            throw new IllegalArgumentException("a test database name is lower-case letters, digits and underscores, was '" + name + "'");
        }
        try (Connection c = DriverManager.getConnection(jdbcUrl(), user(), password()); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create test database " + name + " on " + jdbcUrl(), e);
        }
        return jdbcUrl(name);
    }

    /** The server's log file: everything it reported, ERROR lines with the failed statement included. */
    public Path serverLog() {
        return embedded.cluster().log();
    }

    public String user() {
        return PostgresCluster.SUPERUSER;
    }

    public String password() {
        return embedded.superuserPassword();
    }

    /**
     * A connection pool that outlives the server's restarts: up to 8 connections, a call made while
     * the server is stopped fails within a second, and the pool opens even while it is stopped.
     * Opened while the server runs, it has a connection ready (a busy machine can take longer than
     * that second to open the first). The caller closes it.
     */
    public HikariDataSource pool() {
        return pool("postgres", Duration.ofSeconds(1));
    }

    /**
     * A pool as {@link #pool()}, except that a call made while the server is stopped fails after
     * {@code connectionTimeout} (at least 250 ms, the pool's floor).
     */
    public HikariDataSource pool(Duration connectionTimeout) {
        return pool("postgres", connectionTimeout);
    }

    /** A pool as {@link #pool()}, on database {@code name} of this server. */
    public HikariDataSource pool(String name) {
        return pool(name, Duration.ofSeconds(1));
    }

    private HikariDataSource pool(String name, Duration connectionTimeout) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl(name));
        config.setUsername(user());
        config.setPassword(password());
        config.setMaximumPoolSize(8);
        config.setConnectionTimeout(connectionTimeout.toMillis());
        config.setInitializationFailTimeout(-1);
        HikariDataSource pool = new HikariDataSource(config);
        if (embedded.cluster().status().running()) {
            Await.until("the pool's first connection to " + jdbcUrl(name), Duration.ofSeconds(60), () -> {
                try (Connection c = pool.getConnection()) {
                    return true;
                } catch (SQLException e) {
                    return false;
                }
            });
        }
        return pool;
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            try {
                stop();
            } finally {
                PrivateFiles.deleteTree(embedded.directory());
            }
        }
    }
}
