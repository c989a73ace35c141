package dev.drydock.core.internal.failure;

import dev.drydock.api.DatabaseFailureException;
import dev.drydock.api.DatabaseUnavailableException;
import dev.drydock.api.DrydockException;
import dev.drydock.taskqueue.TaskQueueException;
import java.io.EOFException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.flywaydb.core.api.FlywayException;
import org.jdbi.v3.core.JdbiException;

/**
 * The one place where what the database libraries throw (Jdbi, JDBC, the pool, Flyway, the task
 * queue) becomes a {@link DrydockException} at the public API: a connection that failed, timed out or
 * was lost, or a server shutting down or starting up becomes {@link DatabaseUnavailableException}
 * (worth waiting out); any other database error a {@link DatabaseFailureException} with a plain
 * sentence, among them a server that refuses the login, the database or the permission, which no
 * wait mends, even when a pool reports it as a connection it gave up waiting for. Messages never
 * quote SQL or name a library class (Jdbi's messages quote the statement; drivers' may quote data);
 * the original is kept as the cause, for logs. Drydock's own exceptions, and anything else (a
 * programming error, a blueprint's own failure), pass unchanged. Thread-safe.
 */
public final class DatabaseFailures {
    private static final int MAX_CAUSES = 32;
    private final String database;

    /** @param database the database as messages name it: a URL without password (see {@link DatabaseName}) */
    public DatabaseFailures(String database) {
        this.database = Objects.requireNonNull(database, "database");
    }

    public static DatabaseFailures of(DataSource dataSource) {
        return new DatabaseFailures(DatabaseName.of(dataSource));
    }

    /** Runs {@code action}; a database failure comes out translated, saying Drydock could not do {@code what}. */
    public <T> T call(String what, Supplier<T> action) {
        try {
            return action.get();
        } catch (RuntimeException e) {
            throw translate(what, e);
        }
    }

    public void run(String what, Runnable action) {
        call(what, () -> {
            action.run();
            return null;
        });
    }

    /** {@code e} as the public API throws it (see the class comment); {@code e} itself if it needs no translation. */
    public RuntimeException translate(String what, RuntimeException e) {
        if (e instanceof DrydockException) {
            return e;
        }
        Optional<String> unavailable = unavailableReason(e);
        if (unavailable.isPresent()) {
            return new DatabaseUnavailableException(database, unavailable.get(), e);
        }
        if (!fromTheDatabase(e)) {
            return e;
        }
        String state = state(e);
        return new DatabaseFailureException("could not " + what + ": " + SqlStates.explain(state, database), state, e);
    }

    /**
     * The SQLSTATE that says what went wrong: a refused login wherever it is in the chain (a pool
     * that gave up waiting reports it under a state of its own), else the outermost one; empty if none.
     */
    private static String state(Throwable e) {
        java.util.List<String> states = causes(e).stream().filter(SQLException.class::isInstance)
                .map(c -> ((SQLException) c).getSQLState()).filter(Objects::nonNull).toList();
        return states.stream().filter(SqlStates::refusesAccess).findFirst().orElse(states.isEmpty() ? "" : states.getFirst());
    }

    /**
     * {@code failure} in one line for a log or a status reason, if it came from the database: what was
     * wrong ("database unavailable: connection refused", "the database reported an error (SQLSTATE
     * 23505)"), never a statement, a server report or a library class; empty for anything else.
     */
    public static Optional<String> brief(Throwable failure) {
        Optional<String> unavailable = unavailableReason(failure);
        if (unavailable.isPresent()) {
            return Optional.of("database unavailable: " + unavailable.get());
        }
        if (!fromTheDatabase(failure)) {
            return Optional.empty();
        }
        String state = state(failure);
        return Optional.of("the database reported an error" + (state.isEmpty() ? "" : " (SQLSTATE " + state + ")"));
    }

    /** Whether {@code failure} (or a cause of it) says the database could not be reached or was lost. */
    public static boolean isUnavailable(Throwable failure) {
        return unavailableReason(failure).isPresent();
    }

    /**
     * A few plain words on why the database is unavailable, if it is: the most specific cause wins
     * (a refused connection under the pool's "timed out waiting" is reported as refused).
     */
    static Optional<String> unavailableReason(Throwable failure) {
        java.util.List<Throwable> chain = causes(failure);
        if (chain.stream().anyMatch(c -> c instanceof SQLException s && s.getSQLState() != null && SqlStates.refusesAccess(s.getSQLState()))) {
            return Optional.empty(); // the server answered, and no wait will change its answer
        }
        Optional<String> general = Optional.empty();
        for (Throwable c : chain) {
            Optional<String> specific = switch (c) {
                case ConnectException ignored -> Optional.of("connection refused");
                case UnknownHostException ignored -> Optional.of("unknown host");
                case NoRouteToHostException ignored -> Optional.of("no route to the host");
                case SocketTimeoutException ignored -> Optional.of("no answer in time");
                case EOFException ignored -> Optional.of("the server closed the connection");
                case SQLException s when s.getSQLState() != null && s.getSQLState().startsWith("57P") ->
                        SqlStates.shutdownReason(s.getSQLState());
                default -> Optional.empty();
            };
            if (specific.isPresent()) {
                return specific;
            }
            if (general.isEmpty() && c instanceof SQLException s) {
                general = SqlStates.connectionReason(s);
            }
        }
        return general;
    }

    /** Whether {@code failure} came from the database or its libraries (and so needs translating). */
    public static boolean fromTheDatabase(Throwable failure) {
        return causes(failure).stream().anyMatch(c -> c instanceof SQLException || c instanceof JdbiException
                || c instanceof FlywayException || c instanceof TaskQueueException);
    }

    /** {@code failure} and its causes, outermost first, each once. */
    private static java.util.List<Throwable> causes(Throwable failure) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        java.util.List<Throwable> chain = new java.util.ArrayList<>();
        for (Throwable c = failure; c != null && chain.size() < MAX_CAUSES && seen.add(c); c = c.getCause()) {
            chain.add(c);
        }
        return chain;
    }
}
