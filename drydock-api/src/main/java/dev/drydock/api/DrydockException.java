package dev.drydock.api;

/** Root of every exception Drydock throws. Unchecked; subclasses carry the ids they concern. */
public class DrydockException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DrydockException(String message) {
        super(message);
    }

    public DrydockException(String message, Throwable cause) {
        super(message, cause);
    }
}
