package dev.drydock.taskqueue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.testing.Await;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A taskmaster claims ahead of its free threads, but a task it claimed and cannot start soon goes
 * back to the queue, with its attempt, for a taskmaster that can.
 */
class LocalQueueTest extends QueueTest {
    @Test
    void aTaskClaimedAheadByABusyTaskmasterRunsElsewhereWithItsAttemptIntact() {
        CountDownLatch release = new CountDownLatch(1);
        fx.start(b -> b.name("busy").threads(1).handler("ahead", task -> {
            return runUntil(release);
        }));
        try {
            List<Long> ids = fx.queue.enqueueAll(List.of(TaskSpec.of("ahead", "{}"), TaskSpec.of("ahead", "{}")));
            Await.until("the one-thread taskmaster to hold both tasks", Duration.ofSeconds(10),
                    () -> fx.count("SELECT count(*) FROM tq_task WHERE kind = 'ahead' AND state = 'running' AND owner LIKE 'busy-%'") == 2);

            fx.start(b -> b.name("idle").handler("ahead", task -> TaskOutcome.success()));

            TaskInfo second = Await.value("a task to run on the idle taskmaster", Duration.ofSeconds(10),
                    () -> fx.queue.list(TaskFilter.all().withKind("ahead").withState(TaskState.SUCCEEDED)).stream().findFirst().orElse(null));
            assertThat(second.owner()).hasValueSatisfying(owner -> assertThat(owner).startsWith("idle-"));
            assertThat(second.attempt()).as("the claim it was given back from did not count").isEqualTo(1);
            assertThat(ids).contains(second.id());
            assertThat(fx.count("SELECT count(*) FROM tq_task WHERE kind = 'ahead' AND state = 'running' AND owner LIKE 'busy-%'"))
                    .as("the busy taskmaster still runs the other").isEqualTo(1);
        } finally {
            release.countDown();
        }
    }

    @Test
    void prefetchFalseClaimsNoMoreThanTheFreeThreads() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        fx.start(b -> b.name("strict").threads(1).prefetch(false).handler("strict", task -> {
            return runUntil(release);
        }));
        try {
            fx.queue.enqueueAll(List.of(TaskSpec.of("strict", "{}"), TaskSpec.of("strict", "{}")));
            Await.until("the taskmaster to run one", Duration.ofSeconds(10),
                    () -> fx.count("SELECT count(*) FROM tq_task WHERE kind = 'strict' AND state = 'running'") == 1);
            Thread.sleep(300);
            assertThat(fx.count("SELECT count(*) FROM tq_task WHERE kind = 'strict' AND state = 'queued'")).isEqualTo(1);
        } finally {
            release.countDown();
        }
    }

    /** A handler's run that lasts until the test lets it go. */
    private static TaskOutcome runUntil(CountDownLatch release) {
        try {
            return release.await(30, TimeUnit.SECONDS) ? TaskOutcome.success() : TaskOutcome.retry("the test never let it finish");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return TaskOutcome.retry("interrupted");
        }
    }
}
