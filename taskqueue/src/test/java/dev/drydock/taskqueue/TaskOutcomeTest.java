package dev.drydock.taskqueue;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** What each handler outcome does to a task. Each test uses kinds of its own. */
class TaskOutcomeTest extends QueueTest {
    @Test
    void successArchivesTheTaskAndRemovesItFromTheHotTable() {
        List<String> payloads = new CopyOnWriteArrayList<>();
        fx.start("ok", task -> {
            payloads.add(task.payload());
            return TaskOutcome.success();
        });
        String payload = "{\"n\":  1, \"a\": [true]}"; // odd spacing: handed back exactly as given
        long id = fx.queue.enqueue(TaskSpec.of("ok", payload));

        TaskInfo done = fx.awaitFinal(id);

        assertThat(done.state()).isEqualTo(TaskState.SUCCEEDED);
        assertThat(done.attempt()).isEqualTo(1);
        assertThat(payloads).containsExactly(payload);
        assertThat(done.payload()).isEqualTo(payload);
        assertThat(fx.count("SELECT count(*) FROM tq_task WHERE id = " + id)).isZero();
        assertThat(fx.count("SELECT count(*) FROM tq_task_archive WHERE outcome = 'succeeded' AND id = " + id)).isOne();
    }

    @Test
    void retryableFailureIsRetriedWithGrowingBackoffUntilItSucceeds() {
        List<Instant> starts = new CopyOnWriteArrayList<>();
        fx.start("flaky", task -> {
            starts.add(Instant.now());
            if (task.attempt() < 3) {
                throw new IllegalStateException("not yet");
            }
            return TaskOutcome.success();
        });
        RetryPolicy policy = new RetryPolicy(5, Duration.ofMillis(200), Duration.ofSeconds(5));
        long id = fx.queue.enqueue(TaskSpec.builder("flaky").retryPolicy(policy).build());

        TaskInfo done = fx.awaitFinal(id);

        assertThat(done.state()).isEqualTo(TaskState.SUCCEEDED);
        assertThat(done.attempt()).isEqualTo(3);
        assertThat(done.lastError()).hasValueSatisfying(e -> assertThat(e).contains("IllegalStateException: not yet"));
        assertThat(starts).hasSize(3);
        // jitter scales each wait by 0.5..1.0: 200 ms base then 400 ms
        assertThat(Duration.between(starts.get(0), starts.get(1))).isGreaterThanOrEqualTo(Duration.ofMillis(100));
        assertThat(Duration.between(starts.get(1), starts.get(2))).isGreaterThanOrEqualTo(Duration.ofMillis(200));
    }

    @Test
    void runningOutOfAttemptsArchivesTheTaskAsFailedWithTheError() {
        AtomicInteger runs = new AtomicInteger();
        fx.start("doomed", task -> {
            runs.incrementAndGet();
            throw new IllegalStateException("boom " + task.attempt());
        });
        long id = fx.queue.enqueue(TaskSpec.builder("doomed")
                .retryPolicy(new RetryPolicy(2, Duration.ofMillis(10), Duration.ofMillis(10))).build());

        TaskInfo done = fx.awaitFinal(id);

        assertThat(done.state()).isEqualTo(TaskState.FAILED);
        assertThat(done.lastError()).hasValue("attempt 2 of 2 failed: java.lang.IllegalStateException: boom 2");
        assertThat(runs).hasValue(2);
    }

    @Test
    void permanentFailureIsNotRetried() {
        AtomicInteger runs = new AtomicInteger();
        fx.start("fatal", task -> {
            runs.incrementAndGet();
            throw new PermanentTaskFailure("bad request");
        });
        long id = fx.queue.enqueue(TaskSpec.of("fatal", "{}"));

        TaskInfo done = fx.awaitFinal(id);

        assertThat(done.state()).isEqualTo(TaskState.FAILED);
        assertThat(done.lastError()).hasValue("bad request");
        assertThat(runs).hasValue(1);
    }

    @Test
    void failedOutcomeReturnedByHandlerIsHonoured() {
        fx.start("refuse", task -> TaskOutcome.fail("refused: " + task.payload()));
        long id = fx.queue.enqueue(TaskSpec.of("refuse", "{\"why\": 1}"));

        assertThat(fx.awaitFinal(id).lastError()).hasValue("refused: {\"why\": 1}");
    }

    @Test
    void yieldRunsAgainLaterWithoutUsingAnAttempt() {
        AtomicInteger runs = new AtomicInteger();
        fx.start("patient", task -> runs.incrementAndGet() < 4 ? TaskOutcome.yieldFor(Duration.ofMillis(20)) : TaskOutcome.success());
        long id = fx.queue.enqueue(TaskSpec.builder("patient").retryPolicy(RetryPolicy.noRetries()).build());

        TaskInfo done = fx.awaitFinal(id);

        assertThat(done.state()).isEqualTo(TaskState.SUCCEEDED);
        assertThat(done.attempt()).isEqualTo(1);
        assertThat(runs).hasValue(4);
    }

    @Test
    void archivedFailedTaskCanBeRetriedUnderTheSameId() {
        AtomicInteger runs = new AtomicInteger();
        fx.start("second-time-lucky", task -> {
            if (runs.incrementAndGet() == 1) {
                throw new PermanentTaskFailure("first run fails");
            }
            return TaskOutcome.success();
        });
        long id = fx.queue.enqueue(TaskSpec.of("second-time-lucky", "{}"));
        assertThat(fx.awaitFinal(id).state()).isEqualTo(TaskState.FAILED);

        assertThat(fx.queue.retry(id)).isEqualTo(RetryResult.REQUEUED);
        awaitSucceeded(id);

        assertThat(runs).hasValue(2);
        assertThat(fx.queue.retry(id)).as("a succeeded task is not retried").isEqualTo(RetryResult.NOT_FOUND);
        assertThat(fx.queue.retry(987_654_321L)).isEqualTo(RetryResult.NOT_FOUND);
    }

    @Test
    void retryOfATaskWhoseDedupeTwinIsQueuedCoalescesAndLeavesItArchived() {
        long failed = fx.queue.enqueue(TaskSpec.builder("retry-twin").dedupeKey("same").build());
        assertThat(fx.queue.cancel(failed)).isEqualTo(CancelResult.CANCELLED);
        long twin = fx.queue.enqueue(TaskSpec.builder("retry-twin").dedupeKey("same").delay(Duration.ofHours(1)).build());

        assertThat(fx.queue.retry(failed)).isEqualTo(RetryResult.COALESCED);
        assertThat(fx.queue.find(failed).orElseThrow().state()).isEqualTo(TaskState.CANCELLED);
        assertThat(fx.queue.find(twin).orElseThrow().state()).isEqualTo(TaskState.QUEUED);
    }

    private void awaitSucceeded(long id) {
        dev.drydock.testing.Await.until("task " + id + " to succeed", Duration.ofSeconds(30),
                () -> fx.queue.find(id).map(t -> t.state() == TaskState.SUCCEEDED).orElse(false));
    }

    @Test
    void handlerReturningNullIsARetryableFailureNotACrash() {
        AtomicInteger runs = new AtomicInteger();
        fx.start("null-outcome", task -> runs.incrementAndGet() == 1 ? null : TaskOutcome.success());
        long id = fx.queue.enqueue(TaskSpec.builder("null-outcome")
                .retryPolicy(new RetryPolicy(3, Duration.ofMillis(10), Duration.ofMillis(10))).build());

        TaskInfo done = fx.awaitFinal(id);

        assertThat(done.state()).isEqualTo(TaskState.SUCCEEDED);
        assertThat(done.lastError()).hasValueSatisfying(e -> assertThat(e).contains("returned null"));
    }
}
