package dev.drydock.core;

import java.time.Duration;

/**
 * Something this process's taskmasters just did, as {@link Drydock#listen} hears it: after the
 * transaction that stored it committed, on the worker thread that did it. Each names the blueprint
 * and its type. Durations are never negative.
 */
public sealed interface WorkEvent {
    String blueprint();

    String blueprintType();

    /** A lease became ACTIVE, {@code sinceRequested} after its request was stored (the row's created_at). */
    record LeaseActivated(String blueprint, String blueprintType, Duration sinceRequested) implements WorkEvent {}

    /** A resource was built and became ACTIVE, {@code sinceCreated} after its row was made (on the database's clock). */
    record Built(String blueprint, String blueprintType, Duration sinceCreated) implements WorkEvent {}

    /** A build gave up and the resource broke: its blueprint said it failed, its build timeout passed, or its configuration is refused. */
    record BuildBroke(String blueprint, String blueprintType) implements WorkEvent {}

    /** A build step threw; it is tried again after a backoff. */
    record BuildStepFailed(String blueprint, String blueprintType) implements WorkEvent {}

    /** A resource was destroyed; {@code stepTook} is the blueprint's destroy step that finished it. */
    record Destroyed(String blueprint, String blueprintType, Duration stepTook) implements WorkEvent {}

    /** A destroy step failed or threw; it is tried again after a backoff, for as long as it takes. */
    record DestroyStepFailed(String blueprint, String blueprintType) implements WorkEvent {}

    /** Listening to them, until closed (idempotent). */
    interface Listening extends AutoCloseable {
        @Override
        void close();
    }
}
