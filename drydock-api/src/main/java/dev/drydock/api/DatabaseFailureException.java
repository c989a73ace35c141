package dev.drydock.api;

/**
 * The database answered but refused or failed a statement Drydock needed (a conflict, a missing
 * table, a full disk, a login refused). The message says what it was in a plain sentence and what
 * to do; the driver's own report, which may quote SQL, is only in the cause, for logs.
 */
public class DatabaseFailureException extends DrydockException {
    private static final long serialVersionUID = 1L;
    private final String sqlState;

    /**
     * @param sqlState the five-character SQLSTATE the server reported, or an empty string when
     *                 there was none
     */
    public DatabaseFailureException(String message, String sqlState, Throwable cause) {
        super(message, cause);
        this.sqlState = sqlState == null ? "" : sqlState;
    }

    /** The SQLSTATE the server reported (e.g. {@code 40001}), or an empty string when there was none. */
    public String sqlState() {
        return sqlState;
    }
}
