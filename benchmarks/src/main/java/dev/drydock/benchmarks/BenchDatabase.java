package dev.drydock.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.drydock.embedded.LocalPostgres;
import dev.drydock.embedded.TemporaryPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.postgresql.PGProperty;

/** The PostgreSQL server a benchmark run uses: given by --db, or a private one started for the run. */
final class BenchDatabase implements AutoCloseable {
    /**
     * The settings of the server started for a run: the ones the figures in docs/benchmarks.md were
     * measured with (zonky's defaults then: no fsync, asynchronous commit, UTC; plus the run's own).
     * They trade durability for speed, which a throw-away server can afford.
     */
    private static final Map<String, String> SETTINGS = Map.of(
            "max_connections", "300",
            "shared_buffers", "'512MB'",
            "fsync", "off",
            "synchronous_commit", "off",
            "timezone", "'UTC'");

    /** Child JVMs get the password here, never on their command line, where ps shows it to every local user. */
    private static final String PASSWORD_VARIABLE = "DRYDOCK_BENCH_DB_PASSWORD";

    private final TemporaryPostgres embedded;
    final String jdbcUrl;
    final String user;
    final String password;
    final String host;
    final int port;
    final String database;

    private BenchDatabase(TemporaryPostgres embedded, String jdbcUrl, String user, String password) {
        this.embedded = embedded;
        Properties props = org.postgresql.Driver.parseURL(jdbcUrl, new Properties());
        if (props == null) {
            throw new IllegalArgumentException("not a PostgreSQL JDBC URL: " + jdbcUrl);
        }
        this.host = PGProperty.PG_HOST.getOrDefault(props);
        this.port = Integer.parseInt(PGProperty.PG_PORT.getOrDefault(props));
        this.database = PGProperty.PG_DBNAME.getOrDefault(props);
        this.jdbcUrl = "jdbc:postgresql://" + host + ":" + port + "/" + database;
        this.user = user;
        this.password = password == null ? "" : password;
    }

    static BenchDatabase open(BenchOptions options) {
        if (options.dbUrl().isPresent()) {
            String url = options.dbUrl().get();
            Properties props = org.postgresql.Driver.parseURL(url, new Properties());
            if (props == null) {
                throw new IllegalArgumentException("--db is not a PostgreSQL JDBC URL: " + url);
            }
            return new BenchDatabase(null, url, PGProperty.USER.getOrDefault(props), PGProperty.PASSWORD.getOrDefault(props));
        }
        // Binaries kept in DRYDOCK_HOME (default ~/.drydock) like the CLI's; the data is deleted by close().
        TemporaryPostgres pg = TemporaryPostgres.start(LocalPostgres.defaultHome(), SETTINGS);
        return new BenchDatabase(pg, pg.endpoint().jdbcUrl(), pg.endpoint().user(), pg.endpoint().password());
    }

    /** The database of a child JVM started by {@link #childProcess}: the parent's URL and user, the password from the environment. */
    static BenchDatabase inChild(String jdbcUrl, String user) {
        return new BenchDatabase(null, jdbcUrl, user, System.getenv(PASSWORD_VARIABLE));
    }

    /** A child JVM that will connect with {@link #inChild}, given the password in its environment. */
    ProcessBuilder childProcess(List<String> command) {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put(PASSWORD_VARIABLE, password);
        return builder;
    }

    HikariDataSource pool(String name, int size) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(size);
        config.setPoolName(name);
        return new HikariDataSource(config);
    }

    /** The server settings that decide commit cost, for the report. */
    String describe() throws SQLException {
        try (HikariDataSource ds = pool("describe", 1); Connection c = ds.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT current_setting('server_version'), current_setting('synchronous_commit'), "
                     + "current_setting('fsync'), current_setting('shared_buffers')")) {
            rs.next();
            return "PostgreSQL " + rs.getString(1) + " at " + host + ":" + port + (embedded != null ? " (embedded)" : "")
                    + ", synchronous_commit=" + rs.getString(2) + ", fsync=" + rs.getString(3)
                    + ", shared_buffers=" + rs.getString(4);
        }
    }

    @Override
    public void close() {
        if (embedded != null) {
            embedded.close();
        }
    }
}
