package dev.drydock.server.console;

/**
 * A console request refused before anything changed, with the status and the message the error
 * page shows: what was wrong and what to do.
 */
final class Refusal extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;

    Refusal(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    int status() {
        return status;
    }
}
