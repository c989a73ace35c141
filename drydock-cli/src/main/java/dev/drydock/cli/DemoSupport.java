package dev.drydock.cli;

/** Database choice for {@code demo}: the configured one if any, else a throw-away embedded server. */
public final class DemoSupport {
    private DemoSupport() {}

    public static void useTemporaryDatabaseUnlessConfigured(Session session, String dbFlag) {
        String env = System.getenv("DRYDOCK_DB_URL");
        if (dbFlag == null && (env == null || env.isBlank())) {
            session.use(LocalDatabase.temporary());
        }
    }

    public static String describe(Session session) {
        String url = session.dataSource().getJdbcUrl();
        return url.replaceAll("password=[^&]*", "password=***");
    }
}
