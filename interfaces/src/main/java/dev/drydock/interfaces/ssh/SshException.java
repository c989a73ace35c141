package dev.drydock.interfaces.ssh;

import dev.drydock.api.DrydockException;

/**
 * Talking to a host over SSH failed: it could not be reached, its host key or our key was refused,
 * it timed out, or an established connection was lost. Messages name the host and port and never
 * contain key material.
 */
public class SshException extends DrydockException {
    private static final long serialVersionUID = 1L;

    public SshException(String message) {
        super(message);
    }

    public SshException(String message, Throwable cause) {
        super(message, cause);
    }
}
