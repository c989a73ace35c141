package dev.drydock.testing;

import dev.drydock.embedded.PostgresBinaries;
import dev.drydock.embedded.PostgresCluster;
import dev.drydock.embedded.PrivateFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Creates the tests' embedded PostgreSQL clusters with the settings every Drydock test wants. The
 * binaries are unpacked once per OS user into {@code <java.io.tmpdir>/drydock-test-pg-<uid>}, a
 * directory that must be ours and exactly 0700 (never a shared one another user could plant a
 * {@code postgres} program in); each cluster lives in a fresh 0700 directory beside them, and its
 * superuser logs in with a random password.
 */
final class EmbeddedPostgresFactory {
    private static final Map<String, String> SETTINGS = Map.of(
            // A non-UTC server zone flushes out code that confuses local time with instants.
            "timezone", "'Pacific/Chatham'",
            "max_connections", "400",
            "shared_buffers", "'256MB'",
            // A test cluster is thrown away, never recovered after a crash of the machine: no commit
            // waits for its WAL to reach the disk. A stop (fast shutdown) still writes everything out,
            // and a backend or client that dies loses nothing committed.
            "fsync", "off",
            "synchronous_commit", "off",
            "full_page_writes", "off");

    private EmbeddedPostgresFactory() {}

    /** A new, initialized, stopped cluster and its superuser password. */
    static Created create() {
        Path parent = privateDirectory();
        PostgresBinaries binaries = PostgresBinaries.in(parent);
        try {
            Path directory = Files.createTempDirectory(parent, "cluster-"); // 0700
            Path passwordFile = directory.resolve("superuser.password");
            String password = PrivateFiles.newSecret();
            PrivateFiles.writeSecret(passwordFile, password);
            PostgresCluster cluster = new PostgresCluster(binaries, directory.resolve("data"), directory.resolve("postgres.log"));
            cluster.initialize(passwordFile, SETTINGS);
            return new Created(cluster, directory, password);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a test cluster directory in " + parent, e);
        }
    }

    /** A cluster made by {@link #create()}: {@code directory} holds its data, log and password file. */
    record Created(PostgresCluster cluster, Path directory, String superuserPassword) {}

    private static Path privateDirectory() {
        return PrivateFiles.strictDirectory(Path.of(System.getProperty("java.io.tmpdir"), "drydock-test-pg-" + PrivateFiles.currentUid()));
    }
}
