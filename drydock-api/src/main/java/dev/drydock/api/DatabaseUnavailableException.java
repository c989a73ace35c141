package dev.drydock.api;

import java.util.Objects;

/**
 * Drydock could not reach its PostgreSQL: the connection was refused, timed out, or was lost, or
 * the server is shutting down or starting up. Nothing is known to have changed by the failed call
 * (a statement interrupted mid-way either committed or did not; reading the state tells which).
 * Calling again once the database answers is safe; the message names the database (never with its
 * password) and what to check.
 */
public class DatabaseUnavailableException extends DrydockException {
    private static final long serialVersionUID = 1L;
    private final String database;
    private final String reason;

    /**
     * @param database the database, as a JDBC URL without its password (or a plain description)
     * @param reason   what went wrong, in a few plain words, e.g. {@code connection refused}
     * @param cause    what the driver or pool reported, for logs
     */
    public DatabaseUnavailableException(String database, String reason, Throwable cause) {
        super("the database at " + database + " is not answering (" + reason
                + "); check that PostgreSQL is running and reachable, or set --db/DRYDOCK_DB_URL", cause);
        this.database = Objects.requireNonNull(database, "database");
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** The database that did not answer: a JDBC URL without its password, or a plain description. */
    public String database() {
        return database;
    }

    /** What went wrong, in a few plain words ({@code connection refused}, {@code no answer within 3 s}). */
    public String reason() {
        return reason;
    }
}
