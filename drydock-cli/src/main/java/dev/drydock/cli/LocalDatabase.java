package dev.drydock.cli;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;

/**
 * The database a command uses: {@code --db}, else {@code DRYDOCK_DB_URL}, else a PostgreSQL kept
 * under {@code DRYDOCK_HOME} (default {@code ~/.drydock}) that every drydock command on this machine
 * shares: the first one that needs it starts it on the port recorded there, the others connect.
 * A server this process started stops when the process exits; its data stays.
 */
final class LocalDatabase implements AutoCloseable {
    private final String url;
    private final EmbeddedPostgres started;

    private LocalDatabase(String url, EmbeddedPostgres started) {
        this.url = url;
        this.started = started;
    }

    static LocalDatabase resolve(Optional<String> flag) {
        Optional<String> given = flag.or(() -> Optional.ofNullable(System.getenv("DRYDOCK_DB_URL")).filter(s -> !s.isBlank()));
        if (given.isPresent()) {
            if (!given.get().startsWith("jdbc:postgresql:")) {
                throw new BadInput("--db / DRYDOCK_DB_URL must be a PostgreSQL JDBC URL (jdbc:postgresql://HOST:PORT/DB?user=U&password=P)");
            }
            return new LocalDatabase(given.get(), null);
        }
        return home(home());
    }

    /** A fresh throw-away embedded server, for {@code demo} when nothing is configured. */
    static LocalDatabase temporary() {
        try {
            EmbeddedPostgres pg = EmbeddedPostgres.builder().start();
            return new LocalDatabase(pg.getJdbcUrl("postgres", "postgres"), pg);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start an embedded PostgreSQL", e);
        }
    }

    static Path home() {
        String home = System.getenv("DRYDOCK_HOME");
        return home != null && !home.isBlank() ? Path.of(home) : Path.of(System.getProperty("user.home"), ".drydock");
    }

    private static LocalDatabase home(Path home) {
        try {
            Files.createDirectories(home);
            Path portFile = home.resolve("postgres.port");
            int port = Files.exists(portFile) ? Integer.parseInt(Files.readString(portFile).trim()) : freePort();
            Files.writeString(portFile, Integer.toString(port));
            String url = "jdbc:postgresql://localhost:" + port + "/postgres?user=postgres";
            if (reachable(url)) {
                return new LocalDatabase(url, null);
            }
            try {
                EmbeddedPostgres pg = EmbeddedPostgres.builder().setPort(port).setDataDirectory(home.resolve("pgdata"))
                        .setCleanDataDirectory(false).setPGStartupWait(Duration.ofSeconds(60)).start();
                return new LocalDatabase(url, pg);
            } catch (IOException | RuntimeException e) {
                // Another drydock command may have started it a moment ago.
                if (reachable(url)) {
                    return new LocalDatabase(url, null);
                }
                throw new IllegalStateException("could not start the local PostgreSQL in " + home.resolve("pgdata")
                        + " on port " + port + ": " + e.getMessage() + " (set DRYDOCK_DB_URL to use another server)", e);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot use " + home + " (set DRYDOCK_HOME to another directory)", e);
        }
    }

    private static boolean reachable(String url) {
        try (Connection c = DriverManager.getConnection(url)) {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    String url() {
        return url;
    }

    @Override
    public void close() {
        if (started != null) {
            try {
                started.close();
            } catch (IOException e) {
                // The process is ending; the server's own shutdown finishes the job.
            }
        }
    }
}
