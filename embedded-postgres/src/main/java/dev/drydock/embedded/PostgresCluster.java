package dev.drydock.embedded;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One PostgreSQL data directory and the server that runs on it. A cluster this class initializes
 * accepts only SCRAM password logins over TCP on 127.0.0.1 and opens no Unix socket; {@link #start}
 * detaches the server ({@code pg_ctl start}), so it keeps running after this JVM exits until
 * {@link #stop} is called.
 *
 * @param log the server's log file (created 0600)
 */
public record PostgresCluster(PostgresBinaries binaries, Path dataDirectory, Path log) {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresCluster.class);

    /** The superuser initdb creates. */
    public static final String SUPERUSER = "postgres";

    /** Settings every cluster gets: no way in but a password over loopback TCP. */
    private static final Map<String, String> LOCKED_DOWN = Map.of(
            "listen_addresses", "'127.0.0.1'",
            "unix_socket_directories", "''",
            "password_encryption", "'scram-sha-256'");

    public PostgresCluster {
        Objects.requireNonNull(binaries, "binaries");
        Objects.requireNonNull(dataDirectory, "dataDirectory");
        Objects.requireNonNull(log, "log");
    }

    /**
     * Runs initdb on the (absent or empty) data directory with {@code superuserPasswordFile} as the
     * password of {@value #SUPERUSER}, writes {@code settings} (values as they go in postgresql.conf,
     * quoted where PostgreSQL wants quotes) and a pg_hba.conf that allows SCRAM logins from 127.0.0.1 only.
     */
    public void initialize(Path superuserPasswordFile, Map<String, String> settings) {
        long offset = Programs.size(log);
        int exit = Programs.run(List.of(binaries.program("initdb").toString(), "-D", dataDirectory.toString(), "-U", SUPERUSER,
                "--auth=scram-sha-256", "--pwfile=" + superuserPasswordFile, "-E", "UTF8", "--locale=C"), "", log, 300);
        if (exit != 0) {
            throw new EmbeddedPostgresException("initdb failed (exit " + exit + ") for " + dataDirectory + ":\n"
                    + Programs.tail(log, offset) + "\nFree some disk space or remove " + dataDirectory + ", then run again");
        }
        try {
            StringBuilder conf = new StringBuilder("\n# Drydock: password logins over loopback TCP only\n");
            LOCKED_DOWN.forEach((k, v) -> conf.append(k).append(" = ").append(v).append('\n'));
            settings.forEach((k, v) -> conf.append(k).append(" = ").append(v).append('\n'));
            Files.writeString(dataDirectory.resolve("postgresql.conf"), conf, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
            Files.writeString(dataDirectory.resolve("pg_hba.conf"),
                    "# Drydock: SCRAM password logins from 127.0.0.1 only; never trust\n"
                            + "host all all 127.0.0.1/32 scram-sha-256\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new EmbeddedPostgresException("cannot configure " + dataDirectory + ": " + e.getMessage(), e);
        }
    }

    /**
     * Runs SQL statements, one per element, in single-user mode on the stopped cluster: no server listens
     * while, say, a role's password is set. Statements must not span lines.
     */
    public void runSingleUser(String database, List<String> statements) {
        int exit = Programs.run(List.of(binaries.program("postgres").toString(), "--single", "-D", dataDirectory.toString(),
                "-c", "exit_on_error=true", database), String.join("\n", statements) + "\n", log, 300);
        if (exit != 0) {
            // The statements may hold a password: point at the 0600 log instead of printing them.
            throw new EmbeddedPostgresException("setting up " + dataDirectory + " failed (exit " + exit + "); see " + log
                    + ", then remove " + dataDirectory + " and run again");
        }
    }

    /** Starts the server detached on 127.0.0.1:{@code port} and waits until it accepts connections. */
    public void start(int port) {
        long offset = Programs.size(log);
        int exit = Programs.run(List.of(binaries.program("pg_ctl").toString(), "-D", dataDirectory.toString(), "-l", log.toString(),
                "-w", "-t", "120", "-o", "-p " + port, "start"), "", log, 180);
        if (exit != 0) {
            throw new EmbeddedPostgresException("PostgreSQL did not start on 127.0.0.1:" + port + " from " + dataDirectory + ":\n"
                    + Programs.tail(log, offset) + "\nSee " + log + " for the whole log");
        }
    }

    /** Stops the server with a fast shutdown (sessions are ended, nothing committed is lost); no-op if stopped. */
    public void stop() {
        ServerStatus before = status();
        if (!before.running()) {
            return;
        }
        long offset = Programs.size(log);
        int exit = Programs.run(List.of(binaries.program("pg_ctl").toString(), "-D", dataDirectory.toString(), "-m", "fast",
                "-w", "-t", "120", "stop"), "", log, 180);
        if (exit != 0 && status().running()) {
            throw new EmbeddedPostgresException("PostgreSQL on " + dataDirectory + " did not stop:\n" + Programs.tail(log, offset));
        }
        // pg_ctl returns once the pid file is gone, a moment before the postmaster has exited
        awaitExit(before.pid().getAsLong());
    }

    private static void awaitExit(long postmaster) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        long pause = 1;
        while (isRunning(postmaster)) {
            if (System.nanoTime() > deadline) {
                LOG.warn("postmaster {} still runs 30 s after its pid file went; carrying on", postmaster);
                return;
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            pause = Math.min(pause * 2, 20);
        }
    }

    /** Reads postmaster.pid and checks the process it names is alive. */
    public ServerStatus status() {
        return status(dataDirectory);
    }

    /** Like {@link #status()}, for a data directory whose binaries are unknown (e.g. an old one to move aside). */
    public static ServerStatus status(Path dataDirectory) {
        Path pidFile = dataDirectory.resolve("postmaster.pid");
        List<String> lines;
        try {
            lines = Files.exists(pidFile) ? Files.readAllLines(pidFile, StandardCharsets.UTF_8) : List.of();
        } catch (IOException e) {
            return ServerStatus.stopped(dataDirectory); // removed while we read it: the server just stopped
        }
        if (lines.size() < 4) {
            return ServerStatus.stopped(dataDirectory);
        }
        try {
            long pid = Long.parseLong(lines.get(0).trim());
            int port = Integer.parseInt(lines.get(3).trim());
            boolean alive = isRunning(pid) && ProcessHandle.of(pid)
                    .map(h -> h.info().command().map(c -> c.endsWith("postgres")).orElse(true)).orElse(false);
            return alive ? new ServerStatus(dataDirectory, true, OptionalLong.of(pid), OptionalInt.of(port)) : ServerStatus.stopped(dataDirectory);
        } catch (NumberFormatException e) {
            return ServerStatus.stopped(dataDirectory);
        }
    }

    /**
     * Whether {@code pid} runs. A postmaster that exited stays a zombie until whatever adopted it
     * (pid 1, after pg_ctl exited) reaps it, which may take a second; {@link ProcessHandle#isAlive()}
     * counts zombies as alive, so the state in {@code /proc/<pid>/stat} decides.
     */
    static boolean isRunning(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.UTF_8);
            // "pid (comm) S ...": the state follows the last ')' since comm may hold spaces or parentheses
            char state = stat.substring(stat.lastIndexOf(')') + 2).charAt(0);
            return state != 'Z' && state != 'X';
        } catch (IOException | RuntimeException gone) {
            return false;
        }
    }

    /** Whether the files a started cluster needs are there (initdb ran to the end). */
    public boolean isInitialized() {
        return Files.exists(dataDirectory.resolve("PG_VERSION"));
    }
}
