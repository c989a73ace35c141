package dev.drydock.testing;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * One database created for one test class and dropped after it. Its pooled {@link #dataSource()}
 * is closed when the database is dropped. The query helpers ({@link #queryLong}, {@link #queryText},
 * {@link #execute}, {@link #queryConnection}) run on a small pool of their own, apart from the code
 * under test's: a test polls with them every few milliseconds, and a password login costs tens of
 * milliseconds of CPU.
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
            pool = pool("test-" + name, 32, 32);
        }
        return pool;
    }

    /** The helpers' pool, opened on first use: after whatever the class set on the database first. */
    private synchronized DataSource queries() {
        if (queries == null) {
            queries = pool("test-queries-" + name, 4, 1);
        }
        return queries;
    }

    private HikariDataSource pool(String poolName, int size, int minimumIdle) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(minimumIdle);
        config.setPoolName(poolName);
        return new HikariDataSource(config);
    }

    /** A new unpooled connection; the caller closes it. */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, user, password);
    }

    /** A connection from the query helpers' pool, for a test's own reads of more than one value; closing it hands it back. */
    public Connection queryConnection() throws SQLException {
        return queries().getConnection();
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
        try (Connection c = queries().getConnection(); java.sql.Statement s = c.createStatement()) {
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
        try (Connection c = queries().getConnection(); java.sql.Statement s = c.createStatement(); java.sql.ResultSet rs = s.executeQuery(sql)) {
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
