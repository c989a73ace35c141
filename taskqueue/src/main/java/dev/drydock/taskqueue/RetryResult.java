package dev.drydock.taskqueue;

/** What {@link TaskQueue#retry(long)} did. */
public enum RetryResult {
    /** The archived task is queued again under its id, with a fresh set of attempts. */
    REQUEUED,
    /**
     * A queued task of the same kind and dedupe key already exists and will do the same work; the
     * archived task stays archived.
     */
    COALESCED,
    /** No archived failed or cancelled task has that id (it may be live, succeeded, or pruned). */
    NOT_FOUND
}
