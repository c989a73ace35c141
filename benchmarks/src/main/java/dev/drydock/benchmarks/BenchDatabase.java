package dev.drydock.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.postgresql.PGProperty;

/** The PostgreSQL server a benchmark run uses: given by --db, or embedded for the run. */
final class BenchDatabase implements AutoCloseable {
    private final EmbeddedPostgres embedded;
    final String jdbcUrl;
    final String user;
    final String password;
    final String host;
    final int port;
    final String database;

    private BenchDatabase(EmbeddedPostgres embedded, String jdbcUrl, String user, String password) {
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

    static BenchDatabase open(BenchOptions options) throws IOException {
        if (options.dbUrl().isPresent()) {
            String url = options.dbUrl().get();
            Properties props = org.postgresql.Driver.parseURL(url, new Properties());
            if (props == null) {
                throw new IllegalArgumentException("--db is not a PostgreSQL JDBC URL: " + url);
            }
            return new BenchDatabase(null, url, PGProperty.USER.getOrDefault(props), PGProperty.PASSWORD.getOrDefault(props));
        }
        EmbeddedPostgres pg = EmbeddedPostgres.builder()
                .setServerConfig("max_connections", "300")
                .setServerConfig("shared_buffers", "512MB")
                .start();
        return new BenchDatabase(pg, pg.getJdbcUrl("postgres", "postgres"), "postgres", "");
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
    public void close() throws IOException {
        if (embedded != null) {
            embedded.close();
        }
    }
}
