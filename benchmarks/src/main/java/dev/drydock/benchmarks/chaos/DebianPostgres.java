package dev.drydock.benchmarks.chaos;

import dev.drydock.embedded.PostgresBinaries;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The PostgreSQL server installed from Debian's packages ({@code /usr/lib/postgresql/N}), which a
 * chaos run starts on its own port and data directory and restarts as an operator would.
 */
final class DebianPostgres {
    private static final Path INSTALLED = Path.of("/usr/lib/postgresql");

    private DebianPostgres() {}

    /** The newest installed server's binaries. */
    static PostgresBinaries binaries() {
        if (!Files.isDirectory(INSTALLED)) {
            throw new IllegalStateException("no PostgreSQL server is installed in " + INSTALLED
                    + ": install Debian's server (apt-get install postgresql-15) and run again");
        }
        try (Stream<Path> versions = Files.list(INSTALLED)) {
            Path newest = versions.filter(v -> Files.isExecutable(v.resolve("bin").resolve("postgres")))
                    .max(Comparator.comparingInt(DebianPostgres::major))
                    .orElseThrow(() -> new IllegalStateException("no PostgreSQL server binaries under " + INSTALLED
                            + ": install Debian's server (apt-get install postgresql-15) and run again"));
            return new PostgresBinaries(newest, newest.getFileName().toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + INSTALLED, e);
        }
    }

    private static int major(Path version) {
        try {
            return Integer.parseInt(version.getFileName().toString());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
