package dev.drydock.testing;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * One database created for one test class and dropped after it. Its pooled {@link #dataSource()}
 * is closed when the database is dropped. The reads and statements it runs for a test
 * ({@link #queryLong}, {@link #queryText}, {@link #execute}, {@link #queryConnection}) share a few
 * connections of their own, apart from that pool, so a test may poll with them as often as it likes.
 */
public final class TestDatabase implements AutoCloseable {
    private final String name;
    private final String jdbcUrl;
    private final String user;
    private final String password;
    private final PostgresServer server;
    private HikariDataSource pool;
    private HikariDataSource queries;

    TestDatabase(String name, String jdbcUrl, String user, String password, PostgresServer server) {
        this.name = name;
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.password = password;
        this.server = server;
    }

    public String name() {
        return name;
    }

    /** JDBC URL without credentials; see {@link #user()} and {@link #password()}. */
    public String jdbcUrl() {
        return jdbcUrl;
    }

    /** JDBC URL with credentials as query parameters, for handing to another process. */
    public String jdbcUrlWithCredentials() {
        return jdbcUrl + "?user=" + user + (password.isEmpty() ? "" : "&password=" + password);
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    /** A shared connection pool (up to 32 connections) on this database. */
    public synchronized DataSource dataSource() {
        if (pool == null) {
            pool = new HikariDataSource(poolConfig("test-" + name, 32));
        }
        return pool;
    }

    /** A new unpooled connection; the caller closes it. */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, user, password);
    }

    /**
     * A connection for a test's own reads, from a small pool apart from {@link #dataSource()}; the
     * caller closes it, which hands it back. A poll that opened a connection per read (a server
     * process and a password exchange each time, many times a second) took CPU from what the test
     * waits for.
     */
    public Connection queryConnection() throws SQLException {
        return queries().getConnection();
    }

    private synchronized HikariDataSource queries() {
        if (queries == null) {
            HikariConfig config = poolConfig("test-queries-" + name, 4);
            config.setMinimumIdle(0); // opened as the test reads, not all at once
            queries = new HikariDataSource(config);
        }
        return queries;
    }

    private HikariConfig poolConfig(String poolName, int size) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(size);
        config.setPoolName(poolName);
        return config;
    }

    /** Runs a query whose first column of the first row is a number, e.g. a count. */
    public long queryLong(String sql) {
        return queryFirst(sql, rs -> rs.getLong(1));
    }

    /** Runs a query whose first column of the first row is text, e.g. what a row says of itself. */
    public String queryText(String sql) {
        return queryFirst(sql, rs -> rs.getString(1));
    }

    /** Runs a statement that returns no rows (an update, a delete); returns how many rows it changed. */
    public int execute(String sql) {
        try (Connection c = queryConnection(); java.sql.Statement s = c.createStatement()) {
            return s.executeUpdate(sql);
        } catch (SQLException e) {
            throw new AssertionError("statement failed: " + sql, e);
        }
    }

    /** How {@link #queryFirst} reads the first row. */
    private interface FirstRow<T> {
        T read(java.sql.ResultSet rs) throws SQLException;
    }

    private <T> T queryFirst(String sql, FirstRow<T> read) {
        try (Connection c = queryConnection(); java.sql.Statement s = c.createStatement(); java.sql.ResultSet rs = s.executeQuery(sql)) {
            if (!rs.next()) {
                throw new AssertionError("no row from: " + sql);
            }
            return read.read(rs);
        } catch (SQLException e) {
            throw new AssertionError("query failed: " + sql, e);
        }
    }

    @Override
    public synchronized void close() {
        if (pool != null) {
            pool.close();
            pool = null;
        }
        if (queries != null) {
            queries.close();
            queries = null;
        }
        server.dropDatabase(name);
    }
}
