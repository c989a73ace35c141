package dev.drydock.cli;

import dev.drydock.core.internal.failure.DatabaseName;

/** Database choice for {@code demo}: the configured one if any, else a throw-away embedded server. */
public final class DemoSupport {
    private DemoSupport() {}

    public static void useTemporaryDatabaseUnlessConfigured(Session session) {
        if (session.externalDatabase().isEmpty()) {
            session.use(LocalDatabase.temporary(session.home()));
        }
    }

    public static String describe(Session session) {
        return DatabaseName.withoutPassword(session.dataSource().getJdbcUrl());
    }
}
