package dev.drydock.taskqueue;

import com.zaxxer.hikari.HikariDataSource;
import dev.drydock.testing.RestartablePostgres;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A server of a test class's own that its tests may stop, restart and read the log of, with the
 * queue's schema and a pool on it; started before the class's tests and removed after them.
 * Register it as a static {@code @RegisterExtension} field.
 */
final class QueueServer implements BeforeAllCallback, AfterAllCallback {
    private RestartablePostgres server;
    private HikariDataSource pool;

    @Override
    public void beforeAll(ExtensionContext context) {
        server = new RestartablePostgres();
        pool = server.pool();
        TaskQueueSchema.migrate(pool);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        try {
            pool.close();
        } finally {
            server.close();
        }
    }

    RestartablePostgres server() {
        return server;
    }

    /** The class's pool on the server: it outlives the server's restarts. */
    HikariDataSource pool() {
        return pool;
    }
}
