package dev.drydock.testing;

import dev.drydock.embedded.PostgresCluster;
import dev.drydock.embedded.LoopbackPorts;
import dev.drydock.embedded.PrivateFiles;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.postgresql.PGProperty;

/**
 * The one PostgreSQL server a test JVM uses: the external one named by {@code DRYDOCK_TEST_DB_URL}
 * when that is set, otherwise an embedded PostgreSQL 15 started on first use and stopped (its data
 * deleted) when the JVM exits; its superuser {@code postgres} logs in with a random password. Hands out fresh databases so that test classes never see each other's rows.
 */
public final class PostgresServer {
    /** Environment variable naming an external server, e.g. {@code jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres&password=x}. */
    public static final String URL_VARIABLE = "DRYDOCK_TEST_DB_URL";

    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static volatile PostgresServer shared;

    private final String adminUrl;
    private final String user;
    private final String password;

    private PostgresServer(String adminUrl, String user, String password) {
        this.adminUrl = adminUrl;
        this.user = user;
        this.password = password;
    }

    /** The server for this JVM, started on first call. */
    public static PostgresServer shared() {
        PostgresServer server = shared;
        if (server == null) {
            synchronized (PostgresServer.class) {
                server = shared;
                if (server == null) {
                    server = start();
                    shared = server;
                }
            }
        }
        return server;
    }

    private static PostgresServer start() {
        String external = System.getenv(URL_VARIABLE);
        if (external != null && !external.isBlank()) {
            Properties props = org.postgresql.Driver.parseURL(external, new Properties());
            if (props == null) {
                throw new IllegalStateException(URL_VARIABLE + " is not a PostgreSQL JDBC URL: expected jdbc:postgresql://HOST:PORT/DB?user=U&password=P");
            }
            return new PostgresServer(external, PGProperty.USER.getOrDefault(props), PGProperty.PASSWORD.getOrDefault(props));
        }
        EmbeddedPostgresFactory.Created embedded = EmbeddedPostgresFactory.create();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                embedded.cluster().stop();
            } finally {
                PrivateFiles.deleteTree(embedded.directory());
            }
        }, "embedded-postgres-stop"));
        int port = LoopbackPorts.free();
        embedded.cluster().start(port);
        return new PostgresServer("jdbc:postgresql://127.0.0.1:" + port + "/postgres", PostgresCluster.SUPERUSER, embedded.superuserPassword());
    }

    /** Creates an empty database with a unique name derived from {@code hint}. */
    public TestDatabase createDatabase(String hint) {
        String name = ("t_" + hint.replaceAll("[^A-Za-z0-9]", "_") + "_" + ProcessHandle.current().pid() + "_" + SEQUENCE.incrementAndGet())
                .toLowerCase(Locale.ROOT);
        if (name.length() > 60) {
            name = name.substring(name.length() - 60);
            if (!Character.isLetter(name.charAt(0))) {
                name = "t" + name.substring(1);
            }
        }
        execute("CREATE DATABASE " + name);
        return new TestDatabase(name, urlFor(name), user, password == null ? "" : password, this);
    }

    void dropDatabase(String name) {
        execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }

    private String urlFor(String database) {
        Properties props = org.postgresql.Driver.parseURL(adminUrl, new Properties());
        String host = PGProperty.PG_HOST.getOrDefault(props);
        String port = PGProperty.PG_PORT.getOrDefault(props);
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    private void execute(String sql) {
        try (Connection connection = DriverManager.getConnection(adminUrl, user, password);
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL test server refused: " + sql + ": " + e.getMessage(), e);
        }
    }

}
