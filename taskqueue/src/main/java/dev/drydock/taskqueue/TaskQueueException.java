package dev.drydock.taskqueue;

/** Root of the task queue's unchecked exceptions. */
public class TaskQueueException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TaskQueueException(String message) {
        super(message);
    }

    public TaskQueueException(String message, Throwable cause) {
        super(message, cause);
    }
}
