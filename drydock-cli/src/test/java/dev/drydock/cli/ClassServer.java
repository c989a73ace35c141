package dev.drydock.cli;

import dev.drydock.testing.RestartablePostgres;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One {@link RestartablePostgres} for a test class ({@code @RegisterExtension static}): made before
 * its first test, closed after its last, and running again after each test whatever that test's
 * stop or failure left. A cluster's set-up is most of what a server per test would add; each test
 * works in a database of its own ({@link RestartablePostgres#createDatabase}).
 */
final class ClassServer implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {
    private RestartablePostgres server;

    RestartablePostgres get() {
        if (server == null) {
            throw new IllegalStateException("the class's server exists only while its tests run; register ClassServer as a static extension");
        }
        return server;
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
    public void afterAll(ExtensionContext context) {
        server.close();
        server = null;
    }
}
