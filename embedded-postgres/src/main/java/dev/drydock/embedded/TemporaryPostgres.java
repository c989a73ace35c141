package dev.drydock.embedded;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A throw-away server with a fresh data directory in a new 0700 temporary directory, set up like
 * {@link LocalPostgres} (password logins on 127.0.0.1, role {@value LocalPostgres#ROLE}), and stopped
 * and deleted by {@link #close()} or, failing that, when the JVM exits normally or on a signal.
 */
public final class TemporaryPostgres implements AutoCloseable {
    private final PostgresCluster cluster;
    private final Path directory;
    private final Endpoint endpoint;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread cleanup;

    private TemporaryPostgres(PostgresCluster cluster, Path directory, Endpoint endpoint) {
        this.cluster = cluster;
        this.directory = directory;
        this.endpoint = endpoint;
        this.cleanup = new Thread(this::stopAndDelete, "temporary-postgres-stop");
    }

    /**
     * Starts one, with binaries unpacked into (or found in) {@code binariesParent}, a private directory.
     *
     * @param settings extra postgresql.conf settings, values quoted as PostgreSQL wants
     */
    public static TemporaryPostgres start(Path binariesParent, Map<String, String> settings) {
        return start(PostgresBinaries.in(binariesParent), settings);
    }

    /**
     * Starts one with the given binaries (the bundled ones, or an installed server's such as
     * Debian's {@code /usr/lib/postgresql/15}).
     *
     * @param settings extra postgresql.conf settings, values quoted as PostgreSQL wants
     */
    public static TemporaryPostgres start(PostgresBinaries binaries, Map<String, String> settings) {
        Path directory;
        try {
            directory = Files.createTempDirectory("drydock-pg-"); // 0700
        } catch (IOException e) {
            throw new EmbeddedPostgresException("cannot create a temporary directory: " + e.getMessage()
                    + " (set java.io.tmpdir to a writable directory)", e);
        }
        PostgresCluster cluster = new PostgresCluster(binaries, directory.resolve("data"), directory.resolve("postgres.log"));
        TemporaryPostgres server = null;
        try {
            Path superuserPassword = directory.resolve("postgres-superuser.password");
            PrivateFiles.writeSecret(superuserPassword, PrivateFiles.newSecret());
            String password = PrivateFiles.newSecret();
            LocalPostgres.createApplicationCluster(cluster, superuserPassword, password, settings);
            int port = LoopbackPorts.free();
            server = new TemporaryPostgres(cluster, directory, new Endpoint(port, LocalPostgres.DATABASE, LocalPostgres.ROLE, password));
            Runtime.getRuntime().addShutdownHook(server.cleanup);
            cluster.start(port);
            return server;
        } catch (RuntimeException e) {
            if (server != null) {
                server.close();
            } else {
                PrivateFiles.deleteTree(directory);
            }
            throw e;
        }
    }

    public Endpoint endpoint() {
        return endpoint;
    }

    /**
     * Stops the server (fast shutdown: every session is ended) and starts it again on the same port
     * and data, as an operator's restart does.
     */
    public void restart() {
        if (closed.get()) {
            throw new IllegalStateException("this temporary PostgreSQL was closed");
        }
        cluster.stop();
        cluster.start(endpoint.port());
    }

    /** The server's log file, for a report that points at it. */
    public Path log() {
        return cluster.log();
    }

    /** Stops the server and deletes its directory; idempotent. */
    @Override
    public void close() {
        if (closed.get()) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(cleanup);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or about to: it does the same work
        }
        stopAndDelete();
    }

    private void stopAndDelete() {
        if (closed.compareAndSet(false, true)) {
            try {
                cluster.stop();
            } finally {
                PrivateFiles.deleteTree(directory);
            }
        }
    }
}
