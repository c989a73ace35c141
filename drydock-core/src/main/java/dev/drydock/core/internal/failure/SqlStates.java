package dev.drydock.core.internal.failure;

import dev.drydock.api.DatabaseFailureException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Optional;

/**
 * Plain sentences for SQLSTATE codes (PostgreSQL's appendix A), so that a message can say what
 * happened and what to do without quoting the server's report, which may contain SQL or data.
 */
final class SqlStates {
    private SqlStates() {}

    /** For class 57P (operator intervention): the server is going away or not there yet. */
    static Optional<String> shutdownReason(String state) {
        return switch (state) {
            case "57P01", "57P02" -> Optional.of("the server is shutting down");
            case "57P03" -> Optional.of("the server is starting up or not accepting connections yet");
            case "57P04", "57P05" -> Optional.of("the server dropped the connection");
            default -> Optional.empty();
        };
    }

    /** For a connection failure (class 08, or a pool that gave up waiting for a connection). */
    static Optional<String> connectionReason(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        if (e instanceof SQLTransientConnectionException) {
            return Optional.of("no connection within the connection time limit");
        }
        return switch (state) {
            case "08001", "08004" -> Optional.of("could not connect");
            case "08003", "08006", "08007" -> Optional.of("the connection was lost");
            default -> state.startsWith("08") ? Optional.of("the connection failed") : Optional.empty();
        };
    }

    /**
     * Whether the server refused access for good: a wrong password or unknown user (class 28), a
     * database that does not exist (3D000) or a missing privilege (42501). Waiting does not help;
     * someone must change the URL, the credentials or the grants.
     */
    static boolean refusesAccess(String state) {
        return DatabaseFailureException.refusesAccess(state);
    }

    /** What a database error means for the caller and what to do, by SQLSTATE (empty: none reported). */
    static String explain(String state, String database) {
        String code = state.isEmpty() ? "" : " (SQLSTATE " + state + ")";
        if (state.equals("40001") || state.equals("40P01")) {
            return "it collided with a concurrent change and was undone" + code + "; try again";
        }
        if (state.equals("57014")) {
            return "the database cancelled the statement" + code + ", perhaps for a statement timeout; try again";
        }
        if (state.equals("3D000")) {
            return "the database named in " + database + " does not exist" + code + "; create it or correct --db/DRYDOCK_DB_URL";
        }
        if (state.startsWith("28")) {
            return "the database at " + database + " refused the login" + code + "; check the user and password";
        }
        if (state.equals("42501")) {
            return "the database user lacks a privilege Drydock needs" + code
                    + "; connect as the owner of the database (and of its public schema), or grant it CONNECT and CREATE";
        }
        if (state.startsWith("42")) {
            return "the tables are not what this version of Drydock expects" + code
                    + "; run 'drydock-control migrate' and check that every process runs the same Drydock version";
        }
        if (state.startsWith("53")) {
            return "the database is out of disk, memory or connections" + code + "; ask its administrator";
        }
        if (state.startsWith("25")) {
            return "the database is read-only or in the wrong transaction state" + code + "; check that the URL names the primary server";
        }
        return "the database reported an error" + code + "; the exception's cause has its report";
    }
}
