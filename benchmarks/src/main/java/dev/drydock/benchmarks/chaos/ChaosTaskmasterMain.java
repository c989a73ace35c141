package dev.drydock.benchmarks.chaos;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.drydock.api.DatabaseUnavailableException;
import dev.drydock.blueprint.localhost.LocalHostBlueprint;
import dev.drydock.core.Drydock;
import dev.drydock.taskqueue.Taskmaster;
import java.io.IOException;
import java.time.Duration;

/**
 * One taskmaster of a chaos run in a JVM of its own, as an installation runs it: prints
 * {@code READY} once it works, runs until its stdin closes (a clean stop) or it is killed.
 * Arguments: jdbcUrl user name threads; the password comes in {@value #PASSWORD_VARIABLE}.
 */
public final class ChaosTaskmasterMain {
    /** Never on the command line, where ps shows it to every local user. */
    static final String PASSWORD_VARIABLE = "DRYDOCK_CHAOS_DB_PASSWORD";

    private ChaosTaskmasterMain() {}

    public static void main(String[] args) throws IOException {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(args[0]);
        config.setUsername(args[1]);
        config.setPassword(System.getenv(PASSWORD_VARIABLE));
        config.setMaximumPoolSize(Integer.parseInt(args[3]) + 6);
        config.setConnectionTimeout(2_000);
        config.setInitializationFailTimeout(-1); // a restart of the database must not end us
        config.setPoolName(args[2]);
        try (HikariDataSource pool = new HikariDataSource(config);
             Drydock drydock = build(pool);
             Taskmaster taskmaster = drydock.taskmaster().name(args[2]).threads(Integer.parseInt(args[3])).build().start()) {
            System.out.println("READY");
            System.out.flush();
            while (System.in.read() != -1) {
                // until the parent closes our stdin
            }
            taskmaster.close(Duration.ofSeconds(10));
        }
        System.exit(0);
    }

    /** Drydock on the pool, waiting while the database is down (a replacement may start during its restart). */
    private static Drydock build(HikariDataSource pool) {
        long pauseMs = 250;
        while (true) {
            try {
                return Drydock.builder(pool).register(new LocalHostBlueprint()).build();
            } catch (DatabaseUnavailableException e) {
                System.err.println("the database is not answering (" + e.getMessage() + "); trying again in " + pauseMs + " ms");
                try {
                    Thread.sleep(pauseMs);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
                pauseMs = Math.min(pauseMs * 2, 2_000);
            }
        }
    }
}
