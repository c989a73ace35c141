package dev.drydock.embedded;

/**
 * A directory that must be private to the current user is not: another user owns it, or others may
 * write to it. Nothing was started from it; the message names the directory and what to do.
 */
public final class UnsafeDirectoryException extends EmbeddedPostgresException {
    private static final long serialVersionUID = 1L;

    public UnsafeDirectoryException(String message) {
        super(message);
    }
}
