package dev.drydock.taskqueue;

/**
 * Thrown by a {@link TaskHandler} to fail its task at once, without retries: the task is archived
 * as failed with this message. Any other exception is a retryable failure.
 */
public class PermanentTaskFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public PermanentTaskFailure(String message) {
        super(message);
    }

    public PermanentTaskFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
