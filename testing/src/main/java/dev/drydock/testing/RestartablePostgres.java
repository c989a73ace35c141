package dev.drydock.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An embedded PostgreSQL server of a test's own that the test may stop and start again on the
 * same port and data directory, to show that clients survive a database restart. Always embedded,
 * even when {@code DRYDOCK_TEST_DB_URL} names an external server, because only a server we own may
 * be restarted.
 */
public final class RestartablePostgres implements AutoCloseable {
    private final int port;
    private final Path dataDirectory;
    private EmbeddedPostgres server;

    public RestartablePostgres() {
        try {
            this.dataDirectory = Files.createTempDirectory("drydock-restartable-pg");
            try (ServerSocket socket = new ServerSocket(0)) {
                this.port = socket.getLocalPort();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        start();
    }

    public synchronized void start() {
        if (server == null) {
            server = EmbeddedPostgresFactory.start(port, dataDirectory);
        }
    }

    /** Stops the server (fast shutdown: clients are disconnected). */
    public synchronized void stop() {
        if (server != null) {
            try {
                server.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                server = null;
            }
        }
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + port + "/postgres";
    }

    public String user() {
        return "postgres";
    }

    @Override
    public void close() {
        stop();
    }
}
