package dev.drydock.cli;

import dev.drydock.embedded.LocalPostgres;
import dev.drydock.testing.JavaProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;

/**
 * Runs drydock-control with no --db and no DRYDOCK_DB_URL, so it uses the local database under the
 * given DRYDOCK_HOME, as a user with nothing configured would: to its end in this JVM, or started in
 * a JVM of its own for a test that kills it or races two of them.
 */
final class HomeCli {
    private final Path home;
    private final InProcessCli inProcess;

    HomeCli(Path home) {
        this.home = home;
        this.inProcess = InProcessCli.local(home);
    }

    /** In a JVM of its own, its stdout and stderr together in {@code output}. */
    Process start(Path output, String... args) {
        return JavaProcess.start(DrydockControl.class, output, Launcher.jvmOptions(DrydockControl.class), List.of(args), environment -> {
            environment.remove("DRYDOCK_DB_URL");
            environment.put("DRYDOCK_HOME", home.toString());
        });
    }

    /** Runs a command to its end in this JVM; its stdout and stderr together. */
    Cli.Result run(String... args) {
        return inProcess.runTogether(args);
    }

    /** A connection as the drydock role, with the password from DRYDOCK_HOME. */
    Connection connectAsDrydock() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port() + "/" + LocalPostgres.DATABASE,
                LocalPostgres.ROLE, secret("db.password"));
    }

    /** Whether the local database is running, set up, and answers the drydock role. */
    boolean answers() {
        if (!LocalPostgres.in(home).status().running() || !Files.exists(home.resolve("db.password"))) {
            return false;
        }
        try (Connection c = connectAsDrydock()) {
            return c.isValid(2);
        } catch (SQLException | RuntimeException notYet) {
            return false;
        }
    }

    int port() {
        return LocalPostgres.in(home).status().port().orElseThrow(() -> new AssertionError("the local database is not running"));
    }

    String secret(String file) {
        try {
            return Files.readString(home.resolve(file)).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Postmasters serving this home's data directory (their helpers' command lines carry no -D). */
    long postmasters() {
        String data = home.resolve("pgdata").toString();
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains("bin/postgres") && c.contains("-D " + data)).orElse(false))
                .count();
    }

    /** Stops the server if it runs; for the tests' clean-up, whatever state a failure left. */
    void stopServer() {
        if (Files.isDirectory(home.resolve("pgdata"))) {
            LocalPostgres.in(home).stop();
        }
    }
}
