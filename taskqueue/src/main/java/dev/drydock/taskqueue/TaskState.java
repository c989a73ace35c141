package dev.drydock.taskqueue;

/** Where a task is in its life. QUEUED and RUNNING are live; the rest are archived and final. */
public enum TaskState {
    QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED;

    public boolean isFinal() {
        return this != QUEUED && this != RUNNING;
    }
}
