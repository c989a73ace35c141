package dev.drydock.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** Starts embedded PostgreSQL servers with the settings every Drydock test wants. */
final class EmbeddedPostgresFactory {
    private EmbeddedPostgresFactory() {}

    /**
     * @param port 0 for any free port
     * @param dataDirectory null for a fresh temporary directory, else a directory kept across restarts
     */
    static EmbeddedPostgres start(int port, Path dataDirectory) {
        try {
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    // A non-UTC server zone flushes out code that confuses local time with instants.
                    .setServerConfig("timezone", "Pacific/Chatham")
                    .setServerConfig("max_connections", "400")
                    .setServerConfig("shared_buffers", "256MB")
                    .setPGStartupWait(java.time.Duration.ofSeconds(60));
            if (port != 0) {
                builder.setPort(port);
            }
            if (dataDirectory != null) {
                builder.setDataDirectory(dataDirectory).setCleanDataDirectory(false);
            }
            return builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start embedded PostgreSQL", e);
        }
    }
}
