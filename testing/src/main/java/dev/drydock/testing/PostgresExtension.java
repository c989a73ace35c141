package dev.drydock.testing;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives each test class its own empty database on the shared test server ({@link PostgresServer}),
 * injected as a {@link TestDatabase} parameter into constructors, lifecycle methods and tests, and
 * dropped when the class has run. Schema migration is left to the code under test, as in production.
 */
public final class PostgresExtension implements ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(PostgresExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == TestDatabase.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) throws ParameterResolutionException {
        ExtensionContext classContext = classContext(context);
        return classContext.getStore(NAMESPACE).getOrComputeIfAbsent(
                "database",
                key -> new Holder(PostgresServer.shared().createDatabase(classContext.getRequiredTestClass().getSimpleName())),
                Holder.class).database();
    }

    /** The database this extension gave the class of {@code context}, if the class asked for one. */
    static java.util.Optional<TestDatabase> databaseOf(ExtensionContext context) {
        return java.util.Optional.ofNullable(classContext(context).getStore(NAMESPACE).get("database", Holder.class)).map(Holder::database);
    }

    private static ExtensionContext classContext(ExtensionContext context) {
        ExtensionContext current = context;
        while (current.getTestMethod().isPresent() && current.getParent().isPresent()) {
            current = current.getParent().get();
        }
        return current;
    }

    /** Drops the database when JUnit closes the class-level store. */
    private record Holder(TestDatabase database) implements AutoCloseable {
        @Override
        public void close() {
            database.close();
        }
    }
}
