package dev.drydock.taskqueue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.drydock.testing.Await;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Enqueue options and operator actions. Each test uses kinds of its own. */
class QueueOperationsTest extends QueueTest {
    @Test
    void secondEnqueueWithQueuedDedupeKeyCoalescesIntoTheFirst() {
        long first = fx.queue.enqueue(TaskSpec.builder("dedupe").payload("{\"v\": 1}").dedupeKey("k").delay(Duration.ofHours(1)).build());
        long second = fx.queue.enqueue(TaskSpec.builder("dedupe").payload("{\"v\": 2}").dedupeKey("k").priority(5).build());
        List<Long> batch = fx.queue.enqueueAll(List.of(
                TaskSpec.builder("dedupe").dedupeKey("k").build(),
                TaskSpec.builder("dedupe").dedupeKey("other").build(),
                TaskSpec.builder("dedupe").dedupeKey("other").build()));

        assertThat(second).isEqualTo(first);
        assertThat(batch.get(0)).isEqualTo(first);
        assertThat(batch.get(2)).isEqualTo(batch.get(1)).isNotEqualTo(first);
        TaskInfo merged = fx.queue.find(first).orElseThrow();
        assertThat(merged.payload()).isEqualTo("{\"v\": 1}");
        assertThat(merged.priority()).isEqualTo(5);
        assertThat(fx.count("SELECT count(*) FROM tq_task WHERE kind = 'dedupe' AND run_after <= now()"))
                .as("the earlier run time wins, so both tasks are due now").isEqualTo(2);
        assertThat(fx.count("SELECT count(*) FROM tq_task WHERE kind = 'dedupe'")).isEqualTo(2);
    }

    @Test
    void dedupeKeysOfDifferentKindsDoNotCoalesce() {
        long a = fx.queue.enqueue(TaskSpec.builder("dedupe-kind-a").dedupeKey("shared").delay(Duration.ofHours(1)).build());
        long b = fx.queue.enqueue(TaskSpec.builder("dedupe-kind-b").dedupeKey("shared").delay(Duration.ofHours(1)).build());

        assertThat(b).isNotEqualTo(a);
        assertThat(fx.queue.find(b).orElseThrow().kind()).isEqualTo("dedupe-kind-b");
    }

    @Test
    void batchIdsFollowInputOrderIncludingCoalescedTwins() {
        List<TaskSpec> specs = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            TaskSpec.Builder spec = TaskSpec.builder("order").payload("{\"i\": " + i + "}").delay(Duration.ofHours(1));
            if (i % 10 == 3) {
                spec.dedupeKey("k" + (i % 20));
            }
            specs.add(spec.build());
        }

        List<Long> ids = fx.queue.enqueueAll(specs);

        for (int i = 0; i < specs.size(); i++) {
            TaskInfo task = fx.queue.find(ids.get(i)).orElseThrow();
            if (specs.get(i).dedupeKey().isEmpty()) {
                assertThat(task.payload()).isEqualTo("{\"i\": " + i + "}");
            } else {
                assertThat(task.dedupeKey()).isEqualTo(specs.get(i).dedupeKey());
            }
        }
        assertThat(ids.get(23)).as("i=3 and i=23 share key k3").isEqualTo(ids.get(3));
    }

    @Test
    void dedupeKeyOnlyCoalescesWhileQueuedNotWhileRunning() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        fx.start("dedupe-running", task -> {
            started.countDown();
            await(release);
            return TaskOutcome.success();
        });
        long running = fx.queue.enqueue(TaskSpec.builder("dedupe-running").dedupeKey("r").build());
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

        long next = fx.queue.enqueue(TaskSpec.builder("dedupe-running").dedupeKey("r").build());
        release.countDown();

        assertThat(next).isNotEqualTo(running);
        assertThat(fx.awaitFinal(running).state()).isEqualTo(TaskState.SUCCEEDED);
        assertThat(fx.awaitFinal(next).state()).isEqualTo(TaskState.SUCCEEDED);
    }

    @Test
    void cancelArchivesAQueuedTaskAndLeavesOthersAlone() throws Exception {
        long queued = fx.queue.enqueue(TaskSpec.builder("cancel-me").delay(Duration.ofHours(1)).build());

        assertThat(fx.queue.cancel(queued)).isEqualTo(CancelResult.CANCELLED);
        assertThat(fx.queue.find(queued).orElseThrow().state()).isEqualTo(TaskState.CANCELLED);
        assertThat(fx.queue.cancel(queued)).isEqualTo(CancelResult.ALREADY_FINISHED);
        assertThat(fx.queue.cancel(123_456_789L)).isEqualTo(CancelResult.NOT_FOUND);

        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        fx.start("cancel-running", task -> {
            started.countDown();
            await(release);
            return TaskOutcome.success();
        });
        long running = fx.queue.enqueue(TaskSpec.of("cancel-running", "{}"));
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(fx.queue.cancel(running)).isEqualTo(CancelResult.RUNNING);
        release.countDown();
        assertThat(fx.awaitFinal(running).state()).isEqualTo(TaskState.SUCCEEDED);
    }

    @Test
    void taskOfAKindNoLiveTaskmasterHandlesStaysQueuedAndIsReported() {
        fx.start("known", task -> TaskOutcome.success());
        long orphan = fx.queue.enqueue(TaskSpec.of("nobody-here", "{}"));
        long known = fx.queue.enqueue(TaskSpec.of("known", "{}"));
        fx.awaitFinal(known);

        assertThat(fx.queue.find(orphan).orElseThrow().state()).isEqualTo(TaskState.QUEUED);
        QueueStats stats = fx.queue.stats();
        assertThat(stats.unhandledKinds()).contains("nobody-here").doesNotContain("known");
        assertThat(stats.taskmasters()).singleElement().satisfies(t -> assertThat(t.kinds()).containsExactly("known"));

        fx.start("nobody-here", task -> TaskOutcome.success());
        assertThat(fx.awaitFinal(orphan).state()).isEqualTo(TaskState.SUCCEEDED);
        assertThat(fx.queue.stats().unhandledKinds()).doesNotContain("nobody-here");
    }

    @Test
    void enqueueJoinsTheCallersTransaction() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        fx.start("tx", task -> {
            runs.incrementAndGet();
            return TaskOutcome.success();
        });
        long rolledBack;
        try (Connection c = fx.db.dataSource().getConnection()) {
            c.setAutoCommit(false);
            rolledBack = fx.queue.enqueue(c, TaskSpec.of("tx", "{}"));
            c.rollback();
        }
        long committed = Jdbi.create(fx.db.dataSource()).inTransaction(h -> fx.queue.enqueue(h, TaskSpec.of("tx", "{}")));

        assertThat(fx.awaitFinal(committed).state()).isEqualTo(TaskState.SUCCEEDED);
        assertThat(fx.queue.find(rolledBack)).isEmpty();
        assertThat(runs).hasValue(1);
    }

    @Test
    void anApplicationEnqueuesFromSqlInTheStatementThatWritesItsOwnRow() {
        List<String> payloads = new CopyOnWriteArrayList<>();
        fx.start("from-sql", task -> {
            payloads.add(task.payload());
            return TaskOutcome.success();
        });
        fx.execute("CREATE TABLE sql_orders (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, item text)");

        // one statement, auto-commit: the row and its task, twice with the same dedupe key
        long taskId = Jdbi.create(fx.db.dataSource()).withHandle(h -> h.createQuery("""
                        WITH o AS (INSERT INTO sql_orders (item) VALUES ('anvil') RETURNING id)
                        SELECT tq_enqueue('from-sql', json_build_object('order', o.id), 0, 3600000, 3, 100, 1000, 'order-' || o.id, NULL)
                        FROM o""").mapTo(Long.class).one());
        long twin = Jdbi.create(fx.db.dataSource()).withHandle(h -> h.createQuery(
                "SELECT tq_enqueue('from-sql', '{\"order\": 1}', 4, 0, 3, 100, 1000, 'order-1', NULL)").mapTo(Long.class).one());

        assertThat(twin).as("same kind and dedupe key while queued: the same task").isEqualTo(taskId);
        TaskInfo done = fx.awaitFinal(taskId);
        assertThat(done.state()).as("the twin pulled the run time forward from an hour to now").isEqualTo(TaskState.SUCCEEDED);
        assertThat(done.priority()).isEqualTo(4);
        assertThat(payloads).containsExactly("{\"order\" : 1}");
        assertThat(fx.count("SELECT count(*) FROM sql_orders")).isEqualTo(1);
    }

    @Test
    void anEnqueueWrittenIntoTheApplicationsStatementQueuesOneTaskPerRowAndWakesAnIdleTaskmaster() {
        List<String> payloads = new CopyOnWriteArrayList<>();
        fx.start(b -> b.pollInterval(Duration.ofMinutes(5)).handler("in-statement", task -> {
            payloads.add(task.payload());
            return TaskOutcome.success();
        }));
        Await.until("taskmaster registered", Duration.ofSeconds(10), () -> !fx.queue.stats().taskmasters().isEmpty());
        fx.execute("CREATE TABLE stmt_orders (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, item text)");
        long queuedTwin = fx.queue.enqueue(TaskSpec.builder("in-statement").payload("{\"order\": 1}").dedupeKey("order-1")
                .delay(Duration.ofHours(1)).build());
        SqlEnqueue task = SqlEnqueue.of("in-statement", "json_build_object('order', o.id)").dedupeKey("'order-' || o.id")
                .retryPolicy(new RetryPolicy(3, Duration.ofMillis(100), Duration.ofSeconds(1)));

        // one auto-commit statement: two rows and a task for each
        List<Long> orders = Jdbi.create(fx.db.dataSource()).withHandle(h -> h.createQuery(
                        "WITH o AS (INSERT INTO stmt_orders (item) VALUES ('anvil'), ('rope') RETURNING id), "
                                + "q AS (" + task.insertFrom("o") + ") "
                                + "SELECT o.id, " + SqlEnqueue.wakeFor("q") + " FROM o")
                .map((rs, ctx) -> rs.getLong(1)).list());

        assertThat(orders).containsExactlyInAnyOrder(1L, 2L);
        Await.until("both tasks to run, woken without a poll", Duration.ofSeconds(10), () -> payloads.size() == 2);
        assertThat(payloads).as("order 1's task kept the queued twin's payload, as text the way it was written")
                .containsExactlyInAnyOrder("{\"order\": 1}", "{\"order\" : 2}");
        assertThat(fx.awaitFinal(queuedTwin).state()).as("order 1's task coalesced into the one queued for an hour, and pulled it forward")
                .isEqualTo(TaskState.SUCCEEDED);
        assertThat(fx.count("SELECT count(*) FROM tq_task_archive WHERE kind = 'in-statement'")).isEqualTo(2);
        assertThat(fx.count("SELECT count(*) FROM tq_task_archive WHERE kind = 'in-statement' AND max_attempts = 3 AND backoff_ms = 100"))
                .as("the new task has the statement's retry policy; the coalesced twin keeps its own").isEqualTo(1);
    }

    @Test
    void aKindWhoseSuccessesAreForgottenLeavesNoArchiveRowForThemButKeepsItsFailures() {
        fx.start(b -> b.handler("forgotten", task -> task.payload().contains("bad")
                        ? TaskOutcome.fail("bad payload") : TaskOutcome.success())
                .handler("remembered", task -> TaskOutcome.success())
                .forgetSuccesses("forgotten"));
        long good = fx.queue.enqueue(TaskSpec.of("forgotten", "{\"ok\": true}"));
        long bad = fx.queue.enqueue(TaskSpec.of("forgotten", "{\"bad\": true}"));
        long other = fx.queue.enqueue(TaskSpec.of("remembered", "{}"));

        assertThat(fx.awaitFinal(bad).state()).isEqualTo(TaskState.FAILED);
        assertThat(fx.awaitFinal(other).state()).as("another kind's success is archived").isEqualTo(TaskState.SUCCEEDED);
        Await.until("the forgotten kind's success to leave the queue", Duration.ofSeconds(10),
                () -> fx.count("SELECT count(*) FROM tq_task WHERE id = " + good) == 0);
        assertThat(fx.queue.find(good)).as("deleted, not archived").isEmpty();

        assertThatThrownBy(() -> Taskmaster.builder(fx.db.dataSource()).handler("x", task -> TaskOutcome.success())
                .forgetSuccesses("y").build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("kind 'y', which has no handler here");
    }

    @Test
    void aNewDedupeKeyIsAPlainInsertThatLaterEnqueuesCoalesceIntoAndThatRefusesATwin() {
        fx.execute("CREATE TABLE stmt_new (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY)");
        SqlEnqueue task = SqlEnqueue.of("in-statement-new", "json_build_object('id', n.id)").newDedupeKey("'new-' || n.id");
        Jdbi jdbi = Jdbi.create(fx.db.dataSource());
        assertThat(task.insertFrom("n")).as("no look for a twin").doesNotContain("ON CONFLICT");

        long row = jdbi.withHandle(h -> h.createQuery("WITH n AS (INSERT INTO stmt_new DEFAULT VALUES RETURNING id), q AS ("
                + task.insertFrom("n") + ") SELECT n.id, " + SqlEnqueue.wakeFor("q") + " FROM n").mapTo(Long.class).one());
        long queued = fx.count("SELECT id FROM tq_task WHERE kind = 'in-statement-new' AND dedupe_key = 'new-" + row + "'");
        assertThat(fx.queue.enqueue(TaskSpec.builder("in-statement-new").payload("{}").dedupeKey("new-" + row).build()))
                .as("a later enqueue with the key coalesces into it").isEqualTo(queued);

        // the promise broken: a queued task already has the key. The statement fails whole.
        fx.execute("CREATE TABLE stmt_existing (id bigint)");
        fx.execute("INSERT INTO stmt_existing VALUES (" + row + ")");
        assertThatThrownBy(() -> jdbi.useHandle(h -> h.createQuery("WITH n AS (DELETE FROM stmt_existing RETURNING id), q AS ("
                + task.insertFrom("n") + ") SELECT n.id, " + SqlEnqueue.wakeFor("q") + " FROM n").mapTo(Long.class).list()))
                .hasMessageContaining("tq_task_dedupe");
        assertThat(fx.count("SELECT count(*) FROM stmt_existing")).as("the statement's own change rolled back").isEqualTo(1);
        assertThat(fx.count("SELECT count(*) FROM tq_task WHERE kind = 'in-statement-new'")).isEqualTo(1);
    }

    @Test
    void anEnqueueWrittenIntoAStatementThatWritesNoRowQueuesNothingAndWakesNobody() {
        fx.execute("CREATE TABLE stmt_none (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY)");
        SqlEnqueue task = SqlEnqueue.of("in-statement-none", "json_build_object('id', n.id)");

        List<Boolean> woke = Jdbi.create(fx.db.dataSource()).withHandle(h -> h.createQuery(
                        "WITH n AS (DELETE FROM stmt_none RETURNING id), q AS (" + task.insertFrom("n") + ") "
                                + "SELECT " + SqlEnqueue.wakeFor("q") + " IS NOT NULL")
                .mapTo(Boolean.class).list());

        assertThat(woke).containsExactly(false);
        assertThat(fx.count("SELECT count(*) FROM tq_task WHERE kind = 'in-statement-none'")).isZero();
        assertThatThrownBy(() -> SqlEnqueue.of(" ", "'{}'")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("task kind must be 1 to 200");
    }

    @Test
    void higherPriorityRunsFirst() {
        List<Integer> order = new CopyOnWriteArrayList<>();
        List<TaskSpec> specs = new ArrayList<>();
        for (int p : new int[] {1, 5, 3, 9, 0}) {
            specs.add(TaskSpec.builder("prio").payload("{\"p\": " + p + "}").priority(p).build());
        }
        List<Long> ids = fx.queue.enqueueAll(specs);
        fx.start(b -> b.threads(1).handler("prio", task -> {
            order.add(task.payload().charAt(6) - '0');
            return TaskOutcome.success();
        }));

        ids.forEach(fx::awaitFinal);
        assertThat(order).containsExactly(9, 5, 3, 1, 0);
    }

    @Test
    void delayedTaskDoesNotStartBeforeItsDelay() {
        fx.start("later", task -> TaskOutcome.success());
        long id = fx.queue.enqueue(TaskSpec.builder("later").delay(Duration.ofMillis(700)).build());

        fx.awaitFinal(id);
        long waitedMs = fx.count("SELECT (extract(epoch FROM started_at - created_at) * 1000)::bigint FROM tq_task_archive WHERE id = " + id);
        assertThat(waitedMs).isGreaterThanOrEqualTo(700);
    }

    @Test
    void idleTaskmasterIsWokenByNotificationNotByPolling() {
        AtomicInteger runs = new AtomicInteger();
        fx.start(b -> b.pollInterval(Duration.ofMinutes(5)).handler("wake", task -> {
            runs.incrementAndGet();
            return TaskOutcome.success();
        }));
        // Let the taskmaster finish its first claim and go idle on its five-minute poll.
        Await.until("taskmaster registered", Duration.ofSeconds(10), () -> !fx.queue.stats().taskmasters().isEmpty());

        long id = fx.queue.enqueue(TaskSpec.of("wake", "{}"));

        Await.until("woken task to run", Duration.ofSeconds(10), () -> runs.get() == 1);
        assertThat(fx.awaitFinal(id).state()).isEqualTo(TaskState.SUCCEEDED);
    }

    @Test
    void tasksSharingASerialKeyNeverRunAtTheSameTime() {
        AtomicInteger concurrent = new AtomicInteger();
        AtomicInteger maxConcurrent = new AtomicInteger();
        fx.start(b -> b.threads(8).handler("serial", task -> {
            maxConcurrent.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            concurrent.decrementAndGet();
            return TaskOutcome.success();
        }));
        List<TaskSpec> specs = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            specs.add(TaskSpec.builder("serial").serialKey("one-key").build());
        }
        List<Long> ids = fx.queue.enqueueAll(specs);

        ids.forEach(id -> assertThat(fx.awaitFinal(id).state()).isEqualTo(TaskState.SUCCEEDED));
        assertThat(maxConcurrent).hasValue(1);
    }

    @Test
    void taskWaitingForASerialKeyStartsWhenTheKeyFreesNotAtTheNextPoll() {
        List<Long> order = java.util.Collections.synchronizedList(new ArrayList<>());
        fx.start(b -> b.threads(4).pollInterval(Duration.ofMinutes(5)).handler("chain", task -> {
            order.add(task.id());
            return TaskOutcome.success();
        }));
        Await.until("taskmaster registered", Duration.ofSeconds(10), () -> !fx.queue.stats().taskmasters().isEmpty());
        List<TaskSpec> specs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            specs.add(TaskSpec.builder("chain").serialKey("chain-key").build());
        }
        List<Long> ids = fx.queue.enqueueAll(specs);

        // each one waits for the one before it to finish; a poll every five minutes would take 20
        Await.until("the five tasks of one key to run one after another", Duration.ofSeconds(10), () -> order.size() == 5);
        assertThat(order).containsExactlyInAnyOrderElementsOf(ids);
    }

    @Test
    void aClaimThatRacesAnotherForASerialKeyLeavesTheKeyToItAndCarriesOn() throws Exception {
        Logger dispatcherLogger = (Logger) LoggerFactory.getLogger("dev.drydock.taskqueue.internal.Dispatcher");
        ListAppender<ILoggingEvent> dispatcherLog = new ListAppender<>();
        dispatcherLog.start();
        dispatcherLogger.addAppender(dispatcherLog);
        try {
            long first = fx.queue.enqueue(TaskSpec.builder("raced").serialKey("raced-key").build());
            long second = fx.queue.enqueue(TaskSpec.builder("raced").serialKey("raced-key").build());
            List<Long> ran = new CopyOnWriteArrayList<>();
            try (Connection other = fx.db.connect()) {
                other.setAutoCommit(false);
                try (Statement claim = other.createStatement()) {
                    // another taskmaster's claim of the first task, not committed yet
                    claim.executeUpdate("UPDATE tq_task SET state = 'running', owner = 'other', claim_id = nextval('tq_claim_seq'),"
                            + " attempt = 1, started_at = now(), lease_expires_at = now() + interval '1 minute' WHERE id = " + first);
                }
                fx.start(b -> b.handler("raced", task -> {
                    ran.add(task.id());
                    return TaskOutcome.success();
                }));
                // ours skips the first (locked), takes the second, and waits on the key's index entry
                Await.until("our claim to wait for the other's key", Duration.ofSeconds(10),
                        () -> fx.count("SELECT count(*) FROM pg_locks WHERE NOT granted AND locktype = 'transactionid'") > 0);
                other.commit();
            }
            Await.until("our claim to end", Duration.ofSeconds(10),
                    () -> fx.count("SELECT count(*) FROM pg_locks WHERE NOT granted AND locktype = 'transactionid'") == 0);
            Thread.sleep(300); // time to claim again, which must leave the second queued

            assertThat(ran).as("nothing runs while the key's task runs elsewhere").isEmpty();
            assertThat(fx.count("SELECT count(*) FROM tq_task WHERE state = 'queued' AND id = " + second)).isEqualTo(1);

            fx.execute("DELETE FROM tq_task WHERE id = " + first); // the other taskmaster's run ends
            Await.until("the second task to run once the key is free", Duration.ofSeconds(10), () -> ran.contains(second));
            assertThat(ran).containsExactly(second);
            assertThat(dispatcherLog.list).as("a lost race is not a database failure: no warning, no reconnect")
                    .noneMatch(e -> e.getLevel().isGreaterOrEqual(Level.WARN));
        } finally {
            dispatcherLogger.detachAppender(dispatcherLog);
        }
    }

    @Test
    void malformedJsonPayloadIsRefusedAndNothingIsStored() {
        long before = fx.count("SELECT count(*) FROM tq_task");

        assertThatThrownBy(() -> fx.queue.enqueue(TaskSpec.of("json", "{not json")))
                .isInstanceOf(TaskQueueException.class)
                .hasMessageContaining("not valid JSON");
        assertThat(fx.count("SELECT count(*) FROM tq_task")).isEqualTo(before);
    }

    @Test
    void listAndStatsDescribeTheQueue() {
        fx.queue.enqueueAll(List.of(TaskSpec.of("listed", "{}"), TaskSpec.of("listed", "{}"),
                TaskSpec.builder("listed").delay(Duration.ofHours(1)).build()));

        List<TaskInfo> queued = fx.queue.list(TaskFilter.all().withKind("listed").withState(TaskState.QUEUED));
        KindStats stats = fx.queue.stats().kinds().stream().filter(k -> k.kind().equals("listed")).findFirst().orElseThrow();

        assertThat(queued).hasSize(3);
        assertThat(queued).extracting(TaskInfo::id).isSortedAccordingTo((a, b) -> Long.compare(b, a));
        assertThat(stats.queued()).isEqualTo(3);
        assertThat(stats.ready()).isEqualTo(2);
        assertThat(stats.running()).isZero();
        assertThat(stats.handled()).isFalse();
    }

    @Test
    void pruneDeletesOnlyArchivedTasksOlderThanTheAge() {
        fx.start("prunable", task -> TaskOutcome.success());
        long old = fx.queue.enqueue(TaskSpec.of("prunable", "{}"));
        long fresh = fx.queue.enqueue(TaskSpec.of("prunable", "{}"));
        fx.awaitFinal(old);
        fx.awaitFinal(fresh);
        fx.execute("UPDATE tq_task_archive SET finished_at = now() - interval '8 days' WHERE id = " + old);

        long pruned = fx.queue.prune(Duration.ofDays(7));

        assertThat(pruned).isEqualTo(1);
        assertThat(fx.queue.find(old)).isEmpty();
        assertThat(fx.queue.find(fresh)).isPresent();
    }

    static void await(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("test latch never released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
