package dev.drydock.embedded;

import dev.drydock.api.DrydockException;

/** The private PostgreSQL could not be unpacked, initialized, started or stopped; the message says what to do. */
public class EmbeddedPostgresException extends DrydockException {
    private static final long serialVersionUID = 1L;

    public EmbeddedPostgresException(String message) {
        super(message);
    }

    public EmbeddedPostgresException(String message, Throwable cause) {
        super(message, cause);
    }
}
