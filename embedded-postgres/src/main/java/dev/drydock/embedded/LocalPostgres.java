package dev.drydock.embedded;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL a user's Drydock commands share, kept in a home directory (0700, theirs):
 * <pre>
 *   postgres-15.19/              the binaries (0700)
 *   pgdata/                      the data directory (0700)
 *   postgres.port                the port it listens on, 127.0.0.1 only
 *   postgres.log                 its log (0600)
 *   db.password                  the password of role {@value #ROLE} (0600)
 *   postgres-superuser.password  the password of the superuser (0600)
 *   postgres.lock                held while a command starts or stops the server
 * </pre>
 * The server runs detached: it outlives the command that started it until {@link #stop()}. Drydock
 * connects as {@value #ROLE}, which owns database {@value #DATABASE} and nothing else (no superuser,
 * so it cannot read or write the server's files). Two processes starting it at once end with one server.
 */
public final class LocalPostgres {
    public static final String ROLE = "drydock";
    public static final String DATABASE = "drydock";

    private static final Logger LOG = LoggerFactory.getLogger(LocalPostgres.class);
    /** FileLock is per process; this orders threads of one JVM around it. */
    private static final ReentrantLock IN_PROCESS = new ReentrantLock();

    private final Path home;

    private LocalPostgres(Path home) {
        this.home = home;
    }

    /**
     * The server kept in {@code home}; nothing is created until {@link #ensureRunning}.
     *
     * @throws UnsafeDirectoryException if {@code home} exists but another user owns it or others may write to it
     */
    public static LocalPostgres in(Path home) {
        Objects.requireNonNull(home, "home");
        if (Files.exists(home)) {
            PrivateFiles.verify(home);
        }
        return new LocalPostgres(home.toAbsolutePath());
    }

    /**
     * The home every Drydock program of this user shares unless told otherwise: {@code $DRYDOCK_HOME},
     * else {@code ~/.drydock}. Nothing is created or checked here; {@link #in}, {@link TemporaryPostgres#start}
     * and {@link PostgresBinaries#in} make it 0700 or refuse one that is not private.
     */
    public static Path defaultHome() {
        String home = System.getenv("DRYDOCK_HOME");
        return home != null && !home.isBlank() ? Path.of(home) : Path.of(System.getProperty("user.home"), ".drydock");
    }

    public Path home() {
        return home;
    }

    public Path dataDirectory() {
        return home.resolve("pgdata");
    }

    /** The PostgreSQL version this build would run (the one in {@code postgres-<version>/}). */
    public String version() {
        return PostgresBinaries.bundledVersion();
    }

    /**
     * Starts the server unless it runs, first unpacking binaries and initializing the data directory if
     * needed, and returns how to connect as {@value #ROLE}.
     *
     * @param notice told, in one line, about anything the user should know (an insecure old data directory moved aside)
     */
    public Endpoint ensureRunning(Consumer<String> notice) {
        return locked(() -> {
            // Running already (every command but the first): nothing is unpacked or run, so the binaries'
            // tree need not be walked and checked (a thousand files, a tenth of a short command's time).
            ServerStatus running = status();
            if (running.running() && isOurs(dataDirectory())) {
                return new Endpoint(running.port().getAsInt(), DATABASE, ROLE, PrivateFiles.readSecret(home.resolve("db.password")));
            }
            PostgresBinaries binaries = PostgresBinaries.in(home);
            PostgresCluster cluster = cluster(binaries);
            // before looking for a running server: a password-less one left running by an older version is stopped too
            moveAsideIfInsecure(cluster, notice);
            ServerStatus status = cluster.status();
            if (!status.running()) {
                if (!cluster.isInitialized()) {
                    initialize(binaries);
                }
                int port = port();
                cluster.start(port);
                LOG.info("started PostgreSQL {} on 127.0.0.1:{} from {}; it keeps running until `drydock-control db stop`",
                        binaries.version(), port, cluster.dataDirectory());
                status = cluster.status();
            }
            int port = status.port().orElseThrow(() -> new EmbeddedPostgresException("PostgreSQL in " + dataDirectory()
                    + " stopped right after starting; see " + home.resolve("postgres.log")));
            return new Endpoint(port, DATABASE, ROLE, PrivateFiles.readSecret(home.resolve("db.password")));
        });
    }

    /** Whether the server runs, with its pid and port; starts and creates nothing. */
    public ServerStatus status() {
        return PostgresCluster.status(dataDirectory());
    }

    /**
     * Stops the server (fast shutdown: sessions end, nothing committed is lost).
     *
     * @return false if it was not running
     */
    public boolean stop() {
        if (!Files.isDirectory(dataDirectory()) || !status().running()) {
            return false;
        }
        return locked(() -> {
            PostgresCluster cluster = cluster(PostgresBinaries.in(home));
            if (!cluster.status().running()) {
                return false;
            }
            cluster.stop();
            return true;
        });
    }

    private PostgresCluster cluster(PostgresBinaries binaries) {
        return new PostgresCluster(binaries, dataDirectory(), home.resolve("postgres.log"));
    }

    /**
     * A data directory made before passwords (trust logins, no password files) must never be served
     * again: anyone on the machine could log in as its superuser. It is kept, renamed, for its owner.
     */
    private void moveAsideIfInsecure(PostgresCluster cluster, Consumer<String> notice) {
        Path data = cluster.dataDirectory();
        if (!Files.isDirectory(data) || isOurs(data)) {
            return;
        }
        if (PostgresCluster.status(data).running()) {
            cluster.stop();
        }
        Path aside = home.resolve("pgdata.insecure-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        try {
            Files.move(data, aside);
        } catch (IOException e) {
            throw new EmbeddedPostgresException("cannot move the old password-less " + data + " aside: " + e.getMessage()
                    + " (move or remove it yourself, then run again)", e);
        }
        notice.accept("moved the old local database " + data + " (it let anyone on this machine log in without a password) to "
                + aside + "; starting a new, empty one");
    }

    private boolean isOurs(Path data) {
        if (!Files.exists(home.resolve("db.password")) || !Files.exists(home.resolve("postgres-superuser.password"))) {
            return false;
        }
        try {
            return Files.readAllLines(data.resolve("pg_hba.conf"), StandardCharsets.UTF_8).stream()
                    .map(String::strip).filter(l -> !l.startsWith("#")).noneMatch(l -> l.contains("trust"));
        } catch (IOException e) {
            return false;
        }
    }

    /** Initializes into a scratch directory renamed to pgdata only when complete, so a crash leaves no half cluster. */
    private void initialize(PostgresBinaries binaries) {
        Path scratch = home.resolve("pgdata.initializing");
        PrivateFiles.deleteTree(scratch);
        String dbPassword = PrivateFiles.newSecret();
        PrivateFiles.writeSecret(home.resolve("postgres-superuser.password"), PrivateFiles.newSecret());
        PrivateFiles.writeSecret(home.resolve("db.password"), dbPassword);
        PostgresCluster cluster = new PostgresCluster(binaries, scratch, home.resolve("postgres.log"));
        createApplicationCluster(cluster, home.resolve("postgres-superuser.password"), dbPassword, Map.of());
        try {
            Files.move(scratch, dataDirectory());
        } catch (IOException e) {
            throw new EmbeddedPostgresException("cannot rename " + scratch + " to " + dataDirectory() + ": " + e.getMessage(), e);
        }
    }

    /** initdb plus role {@value #ROLE} owning database {@value #DATABASE}: no superuser, no creating roles or databases. */
    static void createApplicationCluster(PostgresCluster cluster, Path superuserPasswordFile, String rolePassword, Map<String, String> settings) {
        cluster.initialize(superuserPasswordFile, settings);
        cluster.runSingleUser("postgres", List.of(
                "CREATE ROLE " + ROLE + " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION PASSWORD '" + rolePassword + "';",
                "CREATE DATABASE " + DATABASE + " OWNER " + ROLE + ";",
                // the role's own database is the only one it may connect to
                "REVOKE CONNECT ON DATABASE postgres FROM PUBLIC;"));
    }

    /** The recorded port if it is free, else a new free one (recorded). */
    private int port() {
        Path file = home.resolve("postgres.port");
        try {
            if (Files.exists(file)) {
                int recorded = Integer.parseInt(Files.readString(file).trim());
                if (LoopbackPorts.isFree(recorded)) {
                    return recorded;
                }
            }
            int port = LoopbackPorts.free();
            Files.writeString(file, Integer.toString(port));
            return port;
        } catch (IOException | NumberFormatException e) {
            throw new EmbeddedPostgresException("cannot use " + file + ": " + e.getMessage() + " (remove it and run again)", e);
        }
    }

    private <T> T locked(Supplier<T> action) {
        PrivateFiles.directory(home);
        IN_PROCESS.lock();
        try (FileChannel channel = FileChannel.open(home.resolve("postgres.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            FileLock lock = channel.lock();
            try {
                return action.get();
            } finally {
                lock.release();
            }
        } catch (IOException e) {
            throw new EmbeddedPostgresException("cannot lock " + home.resolve("postgres.lock") + ": " + e.getMessage(), e);
        } finally {
            IN_PROCESS.unlock();
        }
    }
}
