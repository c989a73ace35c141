package dev.drydock.taskqueue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.testing.Await;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Shutdown, hand-back, lost leases: what happens to tasks when taskmasters come and go. */
class TaskmasterLifecycleTest extends QueueTest {
    @Test
    void shutdownLetsInFlightTasksFinish() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        Taskmaster taskmaster = fx.start("finish-me", task -> {
            started.countDown();
            sleep(300);
            return TaskOutcome.success();
        });
        long id = fx.queue.enqueue(TaskSpec.of("finish-me", "{}"));
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

        taskmaster.close(Duration.ofSeconds(10));

        assertThat(fx.queue.find(id).orElseThrow().state()).isEqualTo(TaskState.SUCCEEDED);
        assertThat(fx.queue.stats().taskmasters()).as("a stopped taskmaster leaves the registry").isEmpty();
    }

    @Test
    void shutdownHandsUnfinishedTasksBackAndAnotherTaskmasterTakesThemAtOnce() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        // Returns success even when interrupted: shutdown must hand the task back regardless,
        // because a run interrupted at the deadline did not finish.
        Taskmaster stubborn = fx.start("hand-back", task -> {
            started.countDown();
            sleep(60_000);
            return TaskOutcome.success();
        });
        long id = fx.queue.enqueue(TaskSpec.builder("hand-back").retryPolicy(RetryPolicy.noRetries()).build());
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

        stubborn.close(Duration.ofMillis(200));

        TaskInfo handedBack = fx.queue.find(id).orElseThrow();
        assertThat(handedBack.state()).isEqualTo(TaskState.QUEUED);
        assertThat(handedBack.attempt()).as("a hand-back gives the attempt back").isZero();
        assertThat(handedBack.lastError()).hasValueSatisfying(e -> assertThat(e).contains("handed back"));
        assertThat(stubborn.metrics().handedBack()).isEqualTo(1);

        // Polling every five minutes: only the hand-back's notification can start it quickly.
        fx.start(b -> b.pollInterval(Duration.ofMinutes(5)).handler("hand-back", task -> TaskOutcome.success()));
        assertThat(fx.awaitFinal(id).state()).isEqualTo(TaskState.SUCCEEDED);
    }

    @Test
    void lateFinisherCannotOverwriteTheNewerAttempt() throws Exception {
        CountDownLatch firstStarted = new CountDownLatch(1);
        CountDownLatch releaseFirst = new CountDownLatch(1);
        AtomicInteger runs = new AtomicInteger();
        // A long lease, so no heartbeat of its own revives the lease the test expires by hand; one
        // thread, so that the run it is stuck in leaves it none to claim the expired task itself.
        Taskmaster slow = fx.start(b -> b.threads(1).leaseDuration(Duration.ofMinutes(2)).handler("contested", task -> {
            if (runs.incrementAndGet() == 1) {
                firstStarted.countDown();
                QueueOperationsTest.await(releaseFirst);
                return TaskOutcome.success();
            }
            return TaskOutcome.success();
        }));
        long id = fx.queue.enqueue(TaskSpec.of("contested", "{}"));
        assertThat(firstStarted.await(10, TimeUnit.SECONDS)).isTrue();

        // As if the first taskmaster had stopped heartbeating: its lease runs out and another claims the task.
        fx.execute("UPDATE tq_task SET lease_expires_at = now() - interval '1 second' WHERE id = " + id);
        Taskmaster rescuer = fx.start(b -> b.name("rescuer").handler("contested", task -> TaskOutcome.success()));
        TaskInfo done = fx.awaitFinal(id);
        releaseFirst.countDown();
        Await.until("the late success to be discarded", Duration.ofSeconds(10), () -> slow.metrics().lost() == 1);
        assertThat(slow.metrics().succeeded()).as("a late success is lost, not counted").isZero();

        TaskInfo after = fx.queue.find(id).orElseThrow();
        assertThat(after.state()).isEqualTo(TaskState.SUCCEEDED);
        assertThat(after.owner()).hasValue(rescuer.id());
        assertThat(after.attempt()).isEqualTo(2);
        assertThat(done).isEqualTo(after);
    }

    @Test
    void taskWhoseTaskmasterDiedOnItsLastAttemptIsArchivedAsFailed() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Taskmaster hung = fx.start(b -> b.leaseDuration(Duration.ofMinutes(2)).handler("last-chance", task -> {
            started.countDown();
            QueueOperationsTest.await(release);
            return TaskOutcome.success();
        }));
        long id = fx.queue.enqueue(TaskSpec.builder("last-chance").retryPolicy(RetryPolicy.noRetries()).build());
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

        fx.execute("UPDATE tq_task SET lease_expires_at = now() - interval '1 second' WHERE id = " + id);
        fx.start(b -> b.leaseDuration(Duration.ofSeconds(2)).handler("other-kind", task -> TaskOutcome.success()));

        TaskInfo failed = fx.awaitFinal(id);
        release.countDown();
        assertThat(failed.state()).isEqualTo(TaskState.FAILED);
        assertThat(failed.lastError()).hasValueSatisfying(e -> assertThat(e)
                .contains("stopped heartbeating during attempt 1 of 1").contains(hung.id()));
    }

    @Test
    void aTaskmasterTheQueueForgotRegistersItsPresenceAgain() {
        Taskmaster taskmaster = fx.start("noted", task -> TaskOutcome.success());
        String present = "SELECT count(*) FROM tq_taskmaster WHERE id = '" + taskmaster.id() + "' AND presence_key IS NOT NULL";
        assertThat(fx.count(present)).as("registered with its presence once started").isOne();

        // as when another taskmaster judged it gone while only its connection had been cut
        fx.execute("DELETE FROM tq_taskmaster WHERE id = '" + taskmaster.id() + "'");

        Await.until("the taskmaster to register its presence again", Duration.ofSeconds(10), () -> fx.count(present) == 1);
        taskmaster.close(Duration.ofSeconds(5));
        assertThat(fx.count("SELECT count(*) FROM tq_taskmaster")).as("a stopped taskmaster leaves the registry").isZero();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
