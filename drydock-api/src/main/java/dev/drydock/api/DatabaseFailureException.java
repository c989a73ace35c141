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

    /**
     * Whether the server refused Drydock's access for good: its login, its database or a privilege
     * it needs. The installation's configuration is wrong, not the request: nothing the caller sends
     * can succeed until an operator fixes the URL, the credentials or the grants.
     */
    public boolean accessRefused() {
        return refusesAccess(sqlState);
    }

    /**
     * Whether {@code sqlState} is a refusal of access: a wrong password or unknown user (class 28), a
     * database that does not exist (3D000) or a missing privilege (42501).
     */
    public static boolean refusesAccess(String sqlState) {
        return sqlState.startsWith("28") || sqlState.equals("3D000") || sqlState.equals("42501");
    }
}
