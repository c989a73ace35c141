package dev.drydock.cli;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.drydock.api.spi.BlueprintImplementation;
import dev.drydock.core.Drydock;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * What a command works with, opened on first use: the database (see {@link LocalDatabase}) and a
 * {@link Drydock} with every blueprint type found on the classpath (ServiceLoader: the edge of the
 * system maps stored type names to implementations).
 */
public final class Session implements AutoCloseable {
    private final Optional<String> dbFlag;
    private LocalDatabase database;
    private HikariDataSource pool;
    private Drydock drydock;

    Session(Optional<String> dbFlag) {
        this.dbFlag = dbFlag;
    }

    public synchronized Drydock drydock() {
        if (drydock == null) {
            Drydock.Builder builder = Drydock.builder(dataSource());
            @SuppressWarnings("rawtypes")
            ServiceLoader<BlueprintImplementation> loader = ServiceLoader.load(BlueprintImplementation.class);
            loader.forEach(builder::register);
            drydock = builder.build();
        }
        return drydock;
    }

    public synchronized HikariDataSource dataSource() {
        if (pool == null) {
            database = database == null ? LocalDatabase.resolve(dbFlag) : database;
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl(database.url());
            database.credentials().ifPresent(c -> {
                config.setUsername(c.user());
                config.setPassword(c.password());
            });
            config.setMaximumPoolSize(12);
            config.setPoolName("drydock");
            config.setInitializationFailTimeout(10_000);
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
