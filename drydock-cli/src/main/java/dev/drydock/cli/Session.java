package dev.drydock.cli;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.drydock.core.Drydock;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What a command works with, opened on first use: the database (see {@link LocalDatabase}) and a
 * {@link Drydock} with every blueprint type and placement scorer found on the classpath (ServiceLoader:
 * the edge of the system maps stored type and scorer names to implementations).
 */
public final class Session implements AutoCloseable {
    private final Optional<String> external;
    private final Path home;
    private final Consumer<String> notice;
    private LocalDatabase database;
    private HikariDataSource pool;
    private Drydock drydock;

    /** With this process's environment, telling notices on its stderr. */
    Session(Optional<String> dbFlag) {
        this(dbFlag, System.getenv(), System.err::println);
    }

    /**
     * @param environment where DRYDOCK_DB_URL and DRYDOCK_HOME are read
     * @param notice told what the user should know about the local database
     */
    Session(Optional<String> dbFlag, Map<String, String> environment, Consumer<String> notice) {
        this.external = LocalDatabase.external(dbFlag, environment);
        this.home = DrydockHome.directory(environment);
        this.notice = notice;
    }

    /** The database named by {@code --db} or {@code DRYDOCK_DB_URL}, if any; else the local one under {@link #home()} is used. */
    public Optional<String> externalDatabase() {
        return external;
    }

    /** DRYDOCK_HOME: the local database and the owner tokens of this user's leases. */
    public Path home() {
        return home;
    }

    public synchronized Drydock drydock() {
        if (drydock == null) {
            Drydock.Builder builder = Drydock.builder(dataSource());
            BlueprintTypes.all().forEach(builder::register);
            java.util.ServiceLoader.load(dev.drydock.api.spi.ResourceScorer.class).forEach(builder::scorer);
            drydock = builder.build();
        }
        return drydock;
    }

    public synchronized HikariDataSource dataSource() {
        if (pool == null) {
            database = database == null ? LocalDatabase.resolve(external, home, notice) : database;
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl(database.url());
            database.credentials().ifPresent(c -> {
                config.setUsername(c.user());
                config.setPassword(c.password());
                // the local server listens on 127.0.0.1 without TLS: asking for it first only set up a TLS context per command
                config.addDataSourceProperty("sslmode", "disable");
            });
            config.setMaximumPoolSize(12);
            config.setPoolName("drydock");
            // Bounded waits, so that a database that refuses, or accepts and never answers, fails a
            // command within seconds (naming it) instead of hanging: a connection is there within 5 s or
            // the call fails (2 s was too tight: on a loaded 2-core machine a SCRAM login alone took
            // longer). Closing the pool then waits for its thread that opens connections, so that
            // thread must stop soon too: with no idle minimum it stops once nobody waits, and a login
            // attempt (5.5 s, just over the 5 s wait) ends after the waiter left, never starting another.
            // The pool is not filled at start-up (-1): the first use reports, and the daemon retries it.
            // Statements are bounded far above any of Drydock's, against a server that dies mid-statement;
            // the LISTEN connections wait in 250 ms slices that set their own read timeout.
            config.setConnectionTimeout(5_000);
            config.setValidationTimeout(1_000);
            config.setMinimumIdle(0);
            config.setInitializationFailTimeout(-1);
            config.addDataSourceProperty("connectTimeout", "4");
            config.addDataSourceProperty("loginTimeout", "5.5");
            config.addDataSourceProperty("socketTimeout", "120");
            pool = new HikariDataSource(config);
        }
        return pool;
    }

    /** Use a given database instead of resolving one (for {@code demo}). */
    synchronized void use(LocalDatabase db) {
        this.database = db;
    }

    @Override
    public synchronized void close() {
        if (drydock != null) {
            drydock.close();
        }
        if (pool != null) {
            pool.close();
        }
        if (database != null) {
            database.close();
        }
    }
}
