package dev.drydock.testing;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One {@link RestartablePostgres} for a test class ({@code @RegisterExtension static}): made before
 * its first test, closed after its last, and running again after each test whatever that test's
 * stop or failure left. A cluster's set-up is most of what a server per test would add; tests that
 * need isolation work in a database of their own ({@link RestartablePostgres#createDatabase}).
 */
public final class ClassPostgres implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {
    private RestartablePostgres server;
    private HikariDataSource pool;

    /** The class's server. */
    public RestartablePostgres server() {
        if (server == null) {
            throw new IllegalStateException("the class's server exists only while its tests run; register ClassPostgres as a static extension");
        }
        return server;
    }

    /** A pool on the server's database, made on first use; it outlives the server's restarts and is closed after the class. */
    public synchronized HikariDataSource pool() {
        if (pool == null) {
            pool = server().pool();
        }
        return pool;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        server = new RestartablePostgres();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        server.start();
    }

    @Override
    public synchronized void afterAll(ExtensionContext context) {
        try {
            if (pool != null) {
                pool.close();
            }
        } finally {
            server.close();
            server = null;
            pool = null;
        }
    }
}
