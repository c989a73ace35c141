package dev.drydock.taskqueue;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A task to enqueue: immutable; build with {@link #builder(String)}.
 *
 * <p>{@code dedupeKey}: while a task of the same kind with this key is queued and not yet running,
 * enqueuing another adds no row; the queued one keeps its payload and takes the earlier run time and
 * the higher priority of the two. {@code serialKey}: at most one task with this key, of any kind,
 * holds it at a time across all taskmasters (see docs/taskqueue.md for the limits of that promise).
 */
public final class TaskSpec {
    /** The longest task kind, in characters. */
    public static final int MAX_KIND_LENGTH = 200;

    private final String kind;
    private final String payload;
    private final int priority;
    private final Duration delay;
    private final String dedupeKey;
    private final String serialKey;
    private final RetryPolicy retryPolicy;

    private TaskSpec(Builder builder) {
        this.kind = builder.kind;
        this.payload = builder.payload;
        this.priority = builder.priority;
        this.delay = builder.delay;
        this.dedupeKey = builder.dedupeKey;
        this.serialKey = builder.serialKey;
        this.retryPolicy = builder.retryPolicy;
    }

    /** A task of {@code kind} with an empty JSON object as payload. */
    public static Builder builder(String kind) {
        return new Builder(kind);
    }

    /** Shorthand for a task with defaults for everything but kind and payload. */
    public static TaskSpec of(String kind, String jsonPayload) {
        return builder(kind).payload(jsonPayload).build();
    }

    public String kind() {
        return kind;
    }

    /** The payload as JSON text. */
    public String payload() {
        return payload;
    }

    /** Higher runs first among ready tasks. */
    public int priority() {
        return priority;
    }

    /** How long after enqueue (database time) the task becomes ready; zero for at once. */
    public Duration delay() {
        return delay;
    }

    public Optional<String> dedupeKey() {
        return Optional.ofNullable(dedupeKey);
    }

    public Optional<String> serialKey() {
        return Optional.ofNullable(serialKey);
    }

    /** The policy given for this task; empty to use the queue's policy for its kind. */
    public Optional<RetryPolicy> retryPolicy() {
        return Optional.ofNullable(retryPolicy);
    }

    @Override
    public String toString() {
        return "TaskSpec[kind=" + kind + ", priority=" + priority + ", delay=" + delay
                + (dedupeKey == null ? "" : ", dedupeKey=" + dedupeKey)
                + (serialKey == null ? "" : ", serialKey=" + serialKey) + "]";
    }

    /** Builds a {@link TaskSpec}; every setting but the kind is optional. */
    public static final class Builder {
        private final String kind;
        private String payload = "{}";
        private int priority;
        private Duration delay = Duration.ZERO;
        private String dedupeKey;
        private String serialKey;
        private RetryPolicy retryPolicy;

        private Builder(String kind) {
            Objects.requireNonNull(kind, "kind");
            if (kind.isBlank() || kind.length() > MAX_KIND_LENGTH) {
                throw new IllegalArgumentException("task kind must be 1 to " + MAX_KIND_LENGTH + " non-blank characters, was '" + kind + "'");
            }
            this.kind = kind;
        }

        /** JSON text; PostgreSQL rejects malformed JSON when the task is enqueued. Default {@code {}}. */
        public Builder payload(String json) {
            this.payload = Objects.requireNonNull(json, "payload");
            return this;
        }

        public Builder priority(int priority) {
            this.priority = priority;
            return this;
        }

        public Builder delay(Duration delay) {
            Objects.requireNonNull(delay, "delay");
            if (delay.isNegative()) {
                throw new IllegalArgumentException("delay must not be negative, was " + delay);
            }
            this.delay = delay;
            return this;
        }

        /** Runs at {@code instant} or later; an instant in the past means at once. */
        public Builder runAt(Instant instant, java.time.InstantSource clock) {
            Duration until = Duration.between(clock.instant(), Objects.requireNonNull(instant, "instant"));
            return delay(until.isNegative() ? Duration.ZERO : until);
        }

        public Builder dedupeKey(String key) {
            this.dedupeKey = Objects.requireNonNull(key, "dedupeKey");
            return this;
        }

        public Builder serialKey(String key) {
            this.serialKey = Objects.requireNonNull(key, "serialKey");
            return this;
        }

        public Builder retryPolicy(RetryPolicy policy) {
            this.retryPolicy = Objects.requireNonNull(policy, "retryPolicy");
            return this;
        }

        public TaskSpec build() {
            return new TaskSpec(this);
        }
    }
}
