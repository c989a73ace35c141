package dev.drydock.taskqueue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.testing.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Kinds run in batches: what gathers into a batch, and what each task's outcome becomes. */
class BatchHandlerTest extends QueueTest {
    @Test
    void tasksThatArriveWhileABatchRunsGatherIntoTheNextOne() throws Exception {
        CountDownLatch firstStarted = new CountDownLatch(1);
        CountDownLatch releaseFirst = new CountDownLatch(1);
        List<List<Long>> batches = Collections.synchronizedList(new ArrayList<>());
        fx.start(b -> b.threads(8).batchHandler("gather", 1, tasks -> {
            batches.add(tasks.stream().map(Task::id).toList());
            if (batches.size() == 1) {
                firstStarted.countDown();
                QueueOperationsTest.await(releaseFirst);
            }
            return Collections.nCopies(tasks.size(), TaskOutcome.success());
        }));
        long first = fx.queue.enqueue(TaskSpec.of("gather", "{}"));
        assertThat(firstStarted.await(10, TimeUnit.SECONDS)).as("a lone task starts at once").isTrue();
        List<Long> later = fx.queue.enqueueAll(IntStream.range(0, 5).mapToObj(i -> TaskSpec.of("gather", "{}")).toList());
        Thread.sleep(300); // time for a wrong dispatcher to start a second batch beside the first

        assertThat(batches).as("one batch at a time: the others wait in the queue").hasSize(1);
        releaseFirst.countDown();

        for (long id : later) {
            assertThat(fx.awaitFinal(id).state()).isEqualTo(TaskState.SUCCEEDED);
        }
        assertThat(fx.queue.find(first).orElseThrow().state()).isEqualTo(TaskState.SUCCEEDED);
        assertThat(batches).containsExactly(List.of(first), later);
    }

    @Test
    void aSecondBatchStartsOnlyOnceTheFirstHasRunFiftyMilliseconds() throws Exception {
        CountDownLatch releaseFirst = new CountDownLatch(1);
        CountDownLatch secondStarted = new CountDownLatch(1);
        List<Long> startedAt = Collections.synchronizedList(new ArrayList<>());
        AtomicReference<Long> later = new AtomicReference<>();
        fx.start(b -> b.threads(8).batchHandler("slow", 2, tasks -> {
            startedAt.add(System.nanoTime());
            if (startedAt.size() == 1) {
                // the next task is there as soon as the first batch runs
                later.set(fx.queue.enqueue(TaskSpec.of("slow", "{}")));
                QueueOperationsTest.await(releaseFirst); // a batch stuck on a slow host
            } else {
                secondStarted.countDown();
            }
            return Collections.nCopies(tasks.size(), TaskOutcome.success());
        }));
        fx.queue.enqueue(TaskSpec.of("slow", "{}"));

        assertThat(secondStarted.await(10, TimeUnit.SECONDS)).as("the stuck batch does not hold the kind up").isTrue();
        // The dispatcher counts the 50 ms from just before it hands the first batch to a thread, so
        // the handlers' own clocks may see a few ms less; without the rule the second batch would
        // start within milliseconds of its task.
        assertThat(startedAt.get(1) - startedAt.get(0)).as("not before the first batch ran 50 ms")
                .isGreaterThanOrEqualTo(Duration.ofMillis(40).toNanos());
        assertThat(fx.awaitFinal(later.get()).state()).isEqualTo(TaskState.SUCCEEDED);
        releaseFirst.countDown();
    }

    @Test
    void eachTaskOfABatchGetsItsOwnOutcome() {
        AtomicInteger calls = new AtomicInteger();
        List<Long> ids = fx.queue.enqueueAll(List.of(
                TaskSpec.of("mixed", "{\"do\": \"succeed\"}"),
                TaskSpec.of("mixed", "{\"do\": \"fail\"}"),
                TaskSpec.builder("mixed").payload("{\"do\": \"retry once\"}").retryPolicy(
                        new RetryPolicy(3, Duration.ofMillis(10), Duration.ofMillis(10))).build()));
        fx.start(b -> b.threads(8).batchHandler("mixed", 1, tasks -> {
            calls.incrementAndGet();
            return tasks.stream().map(t -> switch (t.payload().replaceAll("\\s", "")) {
                case "{\"do\":\"succeed\"}" -> TaskOutcome.success();
                case "{\"do\":\"fail\"}" -> TaskOutcome.fail("told to fail");
                default -> t.attempt() == 1 ? TaskOutcome.retry("first attempt") : TaskOutcome.success();
            }).toList();
        }));

        assertThat(fx.awaitFinal(ids.get(0)).state()).isEqualTo(TaskState.SUCCEEDED);
        TaskInfo failed = fx.awaitFinal(ids.get(1));
        assertThat(failed.state()).isEqualTo(TaskState.FAILED);
        assertThat(failed.lastError()).hasValue("told to fail");
        TaskInfo retried = fx.awaitFinal(ids.get(2));
        assertThat(retried.state()).isEqualTo(TaskState.SUCCEEDED);
        assertThat(retried.attempt()).isEqualTo(2);
        assertThat(calls.get()).as("three tasks enqueued together, then the retry").isEqualTo(2);
    }

    @Test
    void aBatchThatThrowsOrMiscountsRetriesEveryTaskInIt() {
        // Decided by batch, not by task: the first batch throws, the second returns no outcomes, the
        // rest succeed. Retried tasks are due again at slightly different moments, so they may come
        // back together or apart; either way every task of a failed batch must run again.
        RetryPolicy quick = new RetryPolicy(6, Duration.ofMillis(10), Duration.ofMillis(10));
        List<Long> ids = fx.queue.enqueueAll(List.of(
                TaskSpec.builder("flaky").retryPolicy(quick).build(), TaskSpec.builder("flaky").retryPolicy(quick).build()));
        List<List<Long>> batches = Collections.synchronizedList(new ArrayList<>());
        fx.start(b -> b.threads(8).batchHandler("flaky", 1, tasks -> {
            batches.add(tasks.stream().map(Task::id).toList());
            return switch (batches.size()) {
                case 1 -> throw new IllegalStateException("boom");
                case 2 -> List.of(); // no outcomes at all: a bug, not a success
                default -> Collections.nCopies(tasks.size(), TaskOutcome.success());
            };
        }));

        for (long id : ids) {
            TaskInfo done = fx.awaitFinal(id);
            assertThat(done.state()).isEqualTo(TaskState.SUCCEEDED);
            long runs = batches.stream().filter(batch -> batch.contains(id)).count();
            assertThat(done.attempt()).as("every batch task %d was in cost it an attempt", id).isEqualTo((int) runs);
        }
        assertThat(batches.get(0)).as("both were queued before the taskmaster started: one claim, one batch")
                .containsExactlyInAnyOrderElementsOf(ids);
        for (int failed = 0; failed < 2; failed++) {
            for (long id : batches.get(failed)) {
                assertThat(batches.subList(failed + 1, batches.size())).as("task %d of failed batch %d ran again", id, failed + 1)
                        .anyMatch(later -> later.contains(id));
            }
        }
    }

    @Test
    void aKindCannotHaveBothAPlainAndABatchHandler() {
        Taskmaster.Builder builder = Taskmaster.builder(fx.db.dataSource()).handler("both", task -> TaskOutcome.success());
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> builder.batchHandler("both", 1, tasks -> List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("already registered");
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> builder.batchHandler("other", 0, tasks -> List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("batchesAtOnce");
    }
}
