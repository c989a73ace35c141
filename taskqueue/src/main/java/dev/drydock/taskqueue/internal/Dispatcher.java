package dev.drydock.taskqueue.internal;

import dev.drydock.taskqueue.BatchTaskHandler;
import dev.drydock.taskqueue.PermanentTaskFailure;
import dev.drydock.taskqueue.Task;
import dev.drydock.taskqueue.TaskHandler;
import dev.drydock.taskqueue.TaskOutcome;
import dev.drydock.taskqueue.TaskmasterMetrics;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The loop of one taskmaster. One thread owns one connection and does all of the taskmaster's
 * database work: each pass finishes what handlers returned and claims as many tasks as there are
 * free handler slots, successes and claims in a single statement. Handlers run on their own threads
 * and only hand their outcome back, so a slow database never blocks them and a broken connection
 * loses nothing: outcomes wait in memory until the connection is back. Tasks of a batch kind that
 * one claim brought run as one batch on one thread; such a kind is left out of claims while as many
 * of its batches run as it allows, so its tasks gather in the queue meanwhile.
 */
public final class Dispatcher implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
    /** The taskmaster's own lines (started, stopped, back on its database): INFO where its operators look by default. */
    private static final Logger lifecycle = LoggerFactory.getLogger(dev.drydock.taskqueue.Taskmaster.class);

    private final DataSource dataSource;
    private final TaskmasterConfig config;
    private final ExecutorService handlers;
    private final Wakeup wakeup;
    private final TaskmasterMetricsCounters metrics = new TaskmasterMetricsCounters();
    private final String[] kinds;
    /** Kinds whose successes are deleted, not archived. */
    private final String[] forgottenSuccesses;
    /** Batches running per batch kind. */
    private final Map<String, RunningBatches> batchesRunning = new ConcurrentHashMap<>();
    /** Runs this taskmaster holds in the database: claimed and not yet finished there. */
    private final Map<Long, Run> held = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Finished> finished = new ConcurrentLinkedQueue<>();
    /** Runs and batches handed to the threads and not finished: running, or waiting in {@link #localQueue}. */
    private final AtomicInteger busyHandlers = new AtomicInteger();
    private final LocalQueue localQueue;
    /** Runs taken off {@link #localQueue} unstarted and not yet back in the queue: kept across a failed round trip. */
    private final List<Run> givingBack = new ArrayList<>();
    /** Successes in {@link #finished} the dispatcher has not taken yet; the handler that makes it 1 rings. */
    private final AtomicInteger unseenSuccesses = new AtomicInteger();
    /** When (System.nanoTime) the oldest of {@link #pendingSuccesses} was taken. */
    private long firstPendingNanos;
    /** How many runs the last pass let wait beyond the threads; read by the handler threads. */
    private volatile int depth;
    /** Successes taken from {@link #finished} and not yet committed: kept across a failed round trip. */
    private final List<Run> pendingSuccesses = new ArrayList<>();

    /** Where this dispatcher stands towards enqueues' notifications; see {@link Watch}. */
    private Watch watch = Watch.AWAKE;
    /** How long a settling dispatcher waits before it checks again; doubles up to {@link #MAX_SETTLE_WAIT_MS}. */
    private long settleWaitMs;
    /** Whether the last pass ran a claim; when (System.nanoTime) a claim last brought runs. */
    private boolean lastClaimRan;
    private long lastClaimedNanos = System.nanoTime() - AWAKE_LINGER_NANOS;

    private volatile boolean stopping;
    private volatile long stopDeadlineMillis = Long.MAX_VALUE;
    private Connection connection;
    private PreparedStatement claimStatement;
    private PreparedStatement probeStatement;
    private long nextHeartbeatMillis;
    private long nextSweepMillis;
    private long nextUnhandledReportMillis;

    public Dispatcher(DataSource dataSource, TaskmasterConfig config, ExecutorService handlers, Wakeup wakeup) {
        this.dataSource = dataSource;
        this.config = config;
        this.handlers = handlers;
        this.wakeup = wakeup;
        this.kinds = config.kinds().sorted().toArray(String[]::new);
        this.forgottenSuccesses = config.forgottenSuccesses().stream().sorted().toArray(String[]::new);
        config.batchHandlers().forEach((kind, batched) -> batchesRunning.put(kind, new RunningBatches(batched.batchesAtOnce())));
        this.localQueue = new LocalQueue(config.threads(), config.prefetch());
    }

    public TaskmasterMetrics metrics() {
        return metrics.snapshot(busyHandlers.get() - localQueue.waiting());
    }

    /** Stop claiming; finish in-flight runs until {@code timeout}, then hand the rest back. */
    public void stop(Duration timeout) {
        stopDeadlineMillis = System.currentTimeMillis() + timeout.toMillis();
        stopping = true;
        wakeup.ring();
    }

    @Override
    public void run() {
        Backoff backoff = new Backoff();
        long unavailableSinceMillis = 0;
        while (!stopping || (!held.isEmpty() && System.currentTimeMillis() < stopDeadlineMillis)) {
            try {
                boolean more = pass();
                if (backoff.failures() > 0) {
                    lifecycle.info("{}: database reachable again after {} ms ({} failed attempt(s)); {} runs held", config.id(),
                            System.currentTimeMillis() - unavailableSinceMillis, backoff.failures(), held.size());
                }
                backoff.reset();
                if (more) {
                    letBatchFill();
                } else {
                    rest();
                }
            } catch (SQLException e) {
                closeConnection();
                if (backoff.failures() == 0) {
                    unavailableSinceMillis = System.currentTimeMillis();
                }
                Duration wait = backoff.next();
                // A restart breaks every pooled connection and each fails once, in quick succession: the
                // first failure and those at the longest wait say something new; the rest repeat it.
                boolean news = backoff.failures() == 1 || wait.compareTo(Backoff.LONGEST) >= 0;
                (news ? log.atWarn() : log.atDebug()).log("{}: database unavailable ({}); {} runs held, retrying in {} ms",
                        config.id(), LogText.reason(e), held.size(), wait.toMillis());
                pause(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException | Error e) {
                // Not a database problem: a bug. Log it and keep the taskmaster alive.
                log.error("{}: dispatcher pass failed; carrying on", config.id(), e);
                pause(Duration.ofMillis(500));
            }
        }
        shutDown();
    }

    /**
     * One pass; true when there is probably more ready work right away: a full batch was claimed,
     * or a finished run freed a serialization key that queued tasks wait for (our claim could not
     * yet see it free). A freed key that nothing waits for needs no second pass: a task queued for
     * it later rings the dispatcher when its enqueue commits, and by then the key is free.
     */
    private boolean pass() throws SQLException, InterruptedException {
        Connection c = connection();
        long now = System.currentTimeMillis();
        if (now >= nextHeartbeatMillis) {
            heartbeat(c);
            nextHeartbeatMillis = now + config.heartbeatInterval().toMillis();
        }
        if (now >= nextSweepMillis) {
            sweep(c);
            nextSweepMillis = now + Math.min(5_000, config.leaseDuration().toMillis() / 2);
        }
        boolean freedKey = finishOthers(c);
        givingBack.addAll(stopping ? localQueue.all() : localQueue.expired());
        giveBack(c);
        String[] claimable = claimableKinds();
        // Claim ahead of free threads only what no batch waits for: a batch is what one claim brings.
        depth = stopping || Arrays.stream(claimable).anyMatch(batchesRunning::containsKey) ? 0 : localQueue.depth();
        int free = stopping ? 0 : config.threads() + depth - busyHandlers.get();
        // While the threads have work enough waiting, successes wait too: they go with the next claim.
        boolean lowOnWork = localQueue.lowOnWork(depth);
        lastClaimRan = free > 0 && lowOnWork;
        if ((!lowOnWork && !successesDue()) || (free <= 0 && pendingSuccesses.isEmpty())) {
            return freedKey;
        }
        Array kindArray = c.createArrayOf("text", claimable); // one encoding for the probe and the claim
        boolean enqueuedHere = wakeup.takeEnqueued(); // a task committed in this JVM: no need to probe for it
        if (pendingSuccesses.isEmpty() && watch == Watch.AWAKE && (claimable.length == 0 || !enqueuedHere && !claimable(c, kindArray))) {
            return freedKey; // an awake poll that found nothing (a last look before sleeping always claims)
        }
        Round round = completeAndClaim(c, Math.max(free, 0), kindArray);
        freedKey |= round.freedWaitingKey();
        List<Run> claimed = round.claimed();
        Map<String, List<Run>> batches = new LinkedHashMap<>();
        for (Run run : claimed) {
            if (config.batchHandlers().containsKey(run.task().kind())) {
                batches.computeIfAbsent(run.task().kind(), k -> new ArrayList<>()).add(run);
            } else {
                start(run);
            }
        }
        batches.forEach(this::startBatch);
        if (!claimed.isEmpty()) {
            lastClaimedNanos = System.nanoTime();
            if (watch != Watch.AWAKE) {
                // after the handlers started, so that they do not wait for this round trip
                ask(c, QueueSql.AWAKE);
                watch = Watch.AWAKE;
            }
        }
        return !stopping && (freedKey || (free > 0 && claimed.size() == free));
    }

    /**
     * Enqueues notify only while some dispatcher sleeps (see {@code QueueSql.SOMEONE_SLEEPS}), so a
     * dispatcher that does not hold the sleepers' lock must look again soon by itself.
     * <ul>
     *   <li>AWAKE: does not hold it. It claims again within {@link #AWAKE_POLL_MS} (sooner when a
     *       handler finishes), except with every handler busy, when it waits for one to finish since
     *       it could claim nothing before. When its claims have brought nothing for
     *       {@link #AWAKE_LINGER_NANOS} it goes to sleep: under load, when claims alternate with a
     *       batch kind held back, it stays awake and enqueues stay silent.</li>
     *   <li>SETTLING: holds it, so every new enqueue notifies, but an enqueue that found nobody
     *       asleep may not have committed yet. It claims and checks again, waiting twice as long each
     *       time (a long transaction that enqueued keeps it checking, never blocking it).</li>
     *   <li>ASLEEP: holds it, and every such enqueue had committed before its last claim began: it
     *       may sleep until notified, rung by a handler, or its poll interval passes.</li>
     * </ul>
     * A claim that brings runs makes it AWAKE again; so does a new connection, since the lock
     * belongs to the session.
     */
    private enum Watch { AWAKE, SETTLING, ASLEEP }

    private static final long AWAKE_POLL_MS = 2;
    private static final long AWAKE_LINGER_NANOS = 10_000_000;
    private static final long MAX_SETTLE_WAIT_MS = 100;

    /**
     * Whether the successes waiting for the next claim have waited {@link #SUCCESS_PATIENCE_NANOS}:
     * then they go without waiting for the threads to run low, so a crash loses little finished work.
     */
    private boolean successesDue() {
        return !pendingSuccesses.isEmpty() && System.nanoTime() - firstPendingNanos >= SUCCESS_PATIENCE_NANOS;
    }

    private static final long SUCCESS_PATIENCE_NANOS = 2_000_000;

    /** Waits after a pass that found no more ready work right away, as its {@link Watch} allows. */
    private void rest() throws SQLException, InterruptedException {
        switch (watch) {
            case AWAKE -> {
                if (!lastClaimRan) {
                    wakeup.await(nextDeadline());
                } else if (System.nanoTime() - lastClaimedNanos < AWAKE_LINGER_NANOS) {
                    wakeup.await(Math.min(nextDeadline(), System.currentTimeMillis() + AWAKE_POLL_MS));
                } else {
                    settleWaitMs = AWAKE_POLL_MS;
                    settled(ask(connection(), QueueSql.SLEEP));
                }
            }
            case SETTLING -> settled(ask(connection(), QueueSql.ENQUEUES_SETTLED));
            case ASLEEP -> sleep();
        }
    }

    /**
     * Sleeps until rung, a due time, or {@link #nextDeadline}, checking the connection every
     * {@link #SESSION_CHECK_MS}: a session that died took the sleepers' lock with it, so enqueues
     * stopped notifying, and only a new connection (AWAKE, claiming at once) picks their tasks up.
     */
    private void sleep() throws SQLException, InterruptedException {
        long deadline = nextDeadline();
        for (long now = System.currentTimeMillis(); now < deadline; now = System.currentTimeMillis()) {
            long until = Math.min(deadline, now + SESSION_CHECK_MS);
            if (wakeup.await(until) || until == deadline) {
                return;
            }
            ask(connection(), QueueSql.SESSION_ALIVE);
        }
    }

    private static final long SESSION_CHECK_MS = 1_000;

    /** After a settle check: settled, the next pass's claim is the last look before sleeping; else wait and check again. */
    private void settled(boolean settled) throws InterruptedException {
        if (settled) {
            watch = Watch.ASLEEP;
            return;
        }
        watch = Watch.SETTLING;
        wakeup.await(Math.min(nextDeadline(), System.currentTimeMillis() + settleWaitMs));
        settleWaitMs = Math.min(2 * settleWaitMs, MAX_SETTLE_WAIT_MS);
    }

    private static boolean ask(Connection c, String sql) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql); ResultSet rs = s.executeQuery()) {
            return rs.next() && rs.getBoolean(1);
        }
    }

    /**
     * Under a backlog every round trip costs about the same whatever it carries, so give the runs
     * just started a moment (at most {@link #BATCH_FILL_NANOS}) to finish: the next statement then
     * completes and claims a full batch instead of a few stragglers.
     */
    private void letBatchFill() {
        if (depth > 0) {
            return; // the threads have runs waiting; the next claim comes when they run low
        }
        long deadline = System.nanoTime() + BATCH_FILL_NANOS;
        while (busyHandlers.get() > 0 && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(20_000);
        }
    }

    private static final long BATCH_FILL_NANOS = 200_000;

    // jit off: with sequential scans priced out, the periodic sweeps of small tables that have no
    // index to use look expensive enough to be JIT-compiled, 60-170 ms of compiling each time.
    private static final String DISPATCHER_SETTINGS =
            "SET plan_cache_mode = force_generic_plan; SET enable_bitmapscan = off; SET enable_seqscan = off; SET jit = off";
    private static final String RESET_DISPATCHER_SETTINGS =
            "RESET plan_cache_mode; RESET enable_bitmapscan; RESET enable_seqscan; RESET jit";

    private long nextDeadline() {
        long now = System.currentTimeMillis();
        long deadline = Math.min(now + config.pollInterval().toMillis(), nextHeartbeatMillis);
        // A batch kind held back only because its batch is young may start another batch soon.
        long nanos = System.nanoTime();
        OptionalLong expiry = localQueue.nextExpiryNanos();
        if (expiry.isPresent()) {
            deadline = Math.min(deadline, now + Math.max(1, (expiry.getAsLong() - nanos) / 1_000_000));
        }
        if (!pendingSuccesses.isEmpty()) {
            deadline = Math.min(deadline, now + Math.max(1, (firstPendingNanos + SUCCESS_PATIENCE_NANOS - nanos) / 1_000_000));
        }
        for (RunningBatches running : batchesRunning.values()) {
            OptionalLong chance = running.nextChanceNanos(nanos);
            if (chance.isPresent()) {
                deadline = Math.min(deadline, now + Math.max(1, (chance.getAsLong() - nanos) / 1_000_000));
            }
        }
        return deadline;
    }

    /** What one {@link #completeAndClaim} brought: runs claimed, and whether a freed key had tasks waiting behind it. */
    private record Round(List<Run> claimed, boolean freedWaitingKey) {}

    /** Whether a claim of the kinds in {@code kindArray} could bring anything now ({@link QueueSql#CLAIMABLE}). */
    private boolean claimable(Connection c, Array kindArray) throws SQLException {
        if (probeStatement == null) {
            probeStatement = c.prepareStatement(QueueSql.CLAIMABLE.positional());
        }
        QueueSql.CLAIMABLE.setArray(probeStatement, "kinds", kindArray);
        try (ResultSet rs = probeStatement.executeQuery()) {
            return rs.next() && rs.getBoolean(1);
        }
    }

    // where each column of a claim's rows is (see QueueSql.CLAIMED), resolved once
    private static final int ID = claimed("id");
    private static final int KIND = claimed("kind");
    private static final int PAYLOAD = claimed("payload");
    private static final int ATTEMPT = claimed("attempt");
    private static final int MAX_ATTEMPTS = claimed("max_attempts");
    private static final int CREATED_AT = claimed("created_at");
    private static final int CLAIM_ID = claimed("claim_id");
    private static final int PRIORITY = claimed("priority");
    private static final int BACKOFF_MS = claimed("backoff_ms");
    private static final int BACKOFF_MAX_MS = claimed("backoff_max_ms");
    private static final int KEYED = claimed("keyed");

    private static int claimed(String column) {
        return QueueSql.CLAIM_IS_CLAIM + 1 + QueueSql.CLAIMED.at(column);
    }

    /** Commits {@link #pendingSuccesses} and claims up to {@code limit} runs of the kinds in {@code kindArray}, in one statement. */
    private Round completeAndClaim(Connection c, int limit, Array kindArray) throws SQLException {
        List<Run> successes = pendingSuccesses;
        Long[] ids = new Long[successes.size()];
        Long[] claims = new Long[successes.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = successes.get(i).task().id();
            claims[i] = successes.get(i).claimId();
        }
        NamedStatement claim = QueueSql.COMPLETE_AND_CLAIM;
        if (claimStatement == null) {
            claimStatement = c.prepareStatement(claim.positional());
            // the same for the connection's life
            claim.setArray(claimStatement, "forgottenKinds", c.createArrayOf("text", forgottenSuccesses));
        }
        PreparedStatement s = claimStatement;
        claim.setArray(s, "doneIds", c.createArrayOf("int8", ids));
        claim.setArray(s, "doneClaims", c.createArrayOf("int8", claims));
        claim.setArray(s, "kinds", kindArray);
        claim.setInt(s, "limit", limit);
        claim.setString(s, "owner", config.id());
        claim.setLong(s, "leaseMs", config.leaseDuration().toMillis());
        List<Claimed> claimed = new ArrayList<>(limit);
        Set<Long> confirmed = new HashSet<>();
        boolean freedWaitingKey = false;
        try (ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                if (!rs.getBoolean(QueueSql.CLAIM_IS_CLAIM)) {
                    confirmed.add(rs.getLong(CLAIM_ID));
                    freedWaitingKey |= rs.getBoolean(KEYED);
                    continue;
                }
                Task task = new Task(rs.getLong(ID), rs.getString(KIND), rs.getString(PAYLOAD), rs.getInt(ATTEMPT), rs.getInt(MAX_ATTEMPTS),
                        rs.getTimestamp(CREATED_AT).toInstant());
                claimed.add(new Claimed(new Run(task, rs.getLong(CLAIM_ID), rs.getLong(BACKOFF_MS), rs.getLong(BACKOFF_MAX_MS), rs.getBoolean(KEYED)),
                        rs.getInt(PRIORITY)));
            }
        } catch (SQLException e) {
            if (!Sql.isUniqueViolation(e)) {
                throw e;
            }
            // Only a taskmaster of a version before tq_take_serial_key (migration V6) can still race
            // ours for a serialization key this way. Nothing of this statement happened (the
            // successes stay pending): claim again at once, when the key shows as running.
            log.debug("{}: a claim raced another taskmaster's for a serialization key; claiming again", config.id());
            return new Round(List.of(), true);
        }
        // the threads start runs in this order, so it is the claim's: higher priority, then older
        List<Run> runs = claimed.stream().sorted(Claimed.ORDER).map(Claimed::run).toList();
        runs.forEach(run -> held.put(run.claimId(), run));
        for (Run run : successes) {
            held.remove(run.claimId());
            if (confirmed.contains(run.claimId())) {
                metrics.succeeded.incrementAndGet();
                log.debug("{}: task {} ({}) succeeded on attempt {}", config.id(), run.task().id(), run.task().kind(), run.task().attempt());
            } else {
                reportLost(run);
            }
        }
        successes.clear();
        return new Round(runs, freedWaitingKey);
    }

    /** Every kind but the batch kinds that may not start another batch now (see {@link RunningBatches}). */
    private String[] claimableKinds() {
        long now = System.nanoTime();
        return Arrays.stream(kinds)
                .filter(kind -> {
                    RunningBatches running = batchesRunning.get(kind);
                    return running == null || running.mayStart(now);
                })
                .toArray(String[]::new);
    }

    private void startBatch(String kind, List<Run> runs) {
        BatchTaskHandler handler = config.batchHandlers().get(kind).handler();
        List<Task> tasks = runs.stream().map(Run::task).toList();
        RunningBatches running = batchesRunning.get(kind);
        long batch = running.started(System.nanoTime());
        metrics.claimed.addAndGet(runs.size());
        busyHandlers.incrementAndGet();
        handlers.execute(() -> {
            List<TaskOutcome> outcomes;
            try {
                outcomes = handler.handle(tasks);
                if (outcomes == null || outcomes.size() != tasks.size()) {
                    String error = "batch handler for kind " + kind + " returned " + (outcomes == null ? "null" : outcomes.size() + " outcomes")
                            + " for " + tasks.size() + " tasks";
                    outcomes = Collections.nCopies(tasks.size(), TaskOutcome.retry(error));
                }
            } catch (PermanentTaskFailure e) {
                outcomes = Collections.nCopies(tasks.size(), TaskOutcome.fail(e.getMessage() == null ? describe(e) : e.getMessage()));
            } catch (Throwable e) {
                outcomes = Collections.nCopies(tasks.size(), TaskOutcome.retry(describe(e)));
            }
            for (int i = 0; i < runs.size(); i++) {
                TaskOutcome outcome = outcomes.get(i);
                finished.add(new Finished(runs.get(i), outcome == null
                        ? TaskOutcome.retry("batch handler for kind " + kind + " returned a null outcome") : outcome));
                if (outcome instanceof TaskOutcome.Succeeded) {
                    unseenSuccesses.incrementAndGet(); // counted as finishOthers takes it; this batch rings anyway
                }
            }
            running.ended(batch);
            busyHandlers.decrementAndGet();
            wakeup.ring();
        });
    }

    /**
     * Hands a plain run to the threads through {@link #localQueue}: the first free thread starts it,
     * unless the dispatcher gave it back first. The dispatcher is rung only when its pass has
     * something to do: an outcome to write other than a success, or threads about to run out of work.
     */
    private void start(Run run) {
        TaskHandler handler = config.handlers().get(run.task().kind());
        busyHandlers.incrementAndGet();
        LocalQueue.Waiting waiting = localQueue.add(run);
        handlers.execute(() -> {
            if (!localQueue.take(waiting)) {
                return; // given back: the dispatcher took it off busyHandlers
            }
            metrics.claimed.incrementAndGet();
            long started = System.nanoTime();
            TaskOutcome outcome;
            try {
                outcome = handler.handle(run.task());
                if (outcome == null) {
                    outcome = TaskOutcome.retry("handler for kind " + run.task().kind() + " returned null instead of an outcome");
                }
            } catch (PermanentTaskFailure e) {
                outcome = TaskOutcome.fail(e.getMessage() == null ? describe(e) : e.getMessage());
            } catch (Throwable e) {
                outcome = TaskOutcome.retry(describe(e));
            }
            localQueue.ran(System.nanoTime() - started);
            finished.add(new Finished(run, outcome));
            busyHandlers.decrementAndGet();
            boolean firstUnseenSuccess = outcome instanceof TaskOutcome.Succeeded && unseenSuccesses.getAndIncrement() == 0;
            if (!(outcome instanceof TaskOutcome.Succeeded) || firstUnseenSuccess || localQueue.lowOnWork(depth)) {
                wakeup.ring();
            }
        });
    }

    /**
     * Puts {@link #givingBack}, runs that no thread started, back in the queue, due at once with
     * their attempt given back (or coalesced into a queued twin), for any taskmaster to take.
     */
    private void giveBack(Connection c) throws SQLException {
        while (!givingBack.isEmpty()) {
            Run run = givingBack.get(0);
            RunFinisher.requeue(c, run.task().id(), run.claimId(), Duration.ZERO, 1, null);
            givingBack.remove(0); // only after the database took it, so a failure keeps it for the next pass
            held.remove(run.claimId());
            busyHandlers.decrementAndGet();
            log.debug("{}: gave task {} ({}) back to the queue unstarted", config.id(), run.task().id(), run.task().kind());
        }
    }

    /**
     * Finishes every run except plain successes, which wait in {@link #pendingSuccesses} for the
     * batch. Returns whether a finished run freed a serialization key.
     */
    private boolean finishOthers(Connection c) throws SQLException {
        boolean freedKey = false;
        for (Finished f; (f = finished.peek()) != null; ) {
            if (f.outcome() instanceof TaskOutcome.Succeeded) {
                if (pendingSuccesses.isEmpty()) {
                    firstPendingNanos = System.nanoTime();
                }
                pendingSuccesses.add(f.run());
                unseenSuccesses.decrementAndGet();
            } else {
                finish(c, f.run(), f.outcome());
                held.remove(f.run().claimId());
                freedKey |= f.run().keyed();
            }
            finished.poll(); // only after the database took it, so a failure keeps it for the next pass
        }
        return freedKey;
    }

    private void finish(Connection c, Run run, TaskOutcome outcome) throws SQLException {
        Task task = run.task();
        RunFinisher.Result result;
        switch (outcome) {
            case TaskOutcome.Yielded y -> {
                result = RunFinisher.requeue(c, task.id(), run.claimId(), y.delay(), 1, null);
                count(result, metrics.yielded);
                log.debug("{}: task {} ({}) yielded for {}", config.id(), task.id(), task.kind(), y.delay());
            }
            case TaskOutcome.Failed f when f.permanent() || task.isLastAttempt() -> {
                String error = f.permanent() ? f.error()
                        : "attempt " + task.attempt() + " of " + task.maxAttempts() + " failed: " + f.error();
                result = RunFinisher.archive(c, task.id(), run.claimId(), "failed", error);
                count(result, metrics.failed);
                log.error("{}: task {} ({}) failed for good: {}", config.id(), task.id(), task.kind(), LogText.firstLine(error));
            }
            case TaskOutcome.Failed f -> {
                Duration wait = jittered(run, task.attempt());
                result = RunFinisher.requeue(c, task.id(), run.claimId(), wait, 0, f.error());
                count(result, metrics.retried);
                log.warn("{}: task {} ({}) attempt {} of {} failed, retrying in {} ms: {}", config.id(), task.id(),
                        task.kind(), task.attempt(), task.maxAttempts(), wait.toMillis(), LogText.firstLine(f.error()));
            }
            case TaskOutcome.Succeeded s -> throw new IllegalStateException("successes are finished in batches");
        }
        if (result == RunFinisher.Result.LOST) {
            reportLost(run);
        }
    }

    private void reportLost(Run run) {
        metrics.lost.incrementAndGet();
        log.warn("{}: outcome of task {} attempt {} discarded: its lease expired and another taskmaster took it",
                config.id(), run.task().id(), run.task().attempt());
    }

    private static void count(RunFinisher.Result result, java.util.concurrent.atomic.AtomicLong counter) {
        if (result == RunFinisher.Result.DONE) {
            counter.incrementAndGet();
        }
    }

    private static Duration jittered(Run run, int attempt) {
        long capped = Backoffs.exponentialMillis(run.backoffMs(), run.backoffMaxMs(), attempt);
        return Duration.ofMillis((long) (capped * (0.5 + 0.5 * ThreadLocalRandom.current().nextDouble())));
    }

    private void heartbeat(Connection c) throws SQLException {
        if (!held.isEmpty()) {
            Long[] claims = held.keySet().toArray(Long[]::new);
            Sql.update(c, QueueSql.HEARTBEAT, config.leaseDuration().toMillis(), config.id(), c.createArrayOf("int8", claims));
        }
        if (Sql.update(c, QueueSql.REGISTRY_HEARTBEAT, config.id()) == 0) {
            register(c);
        }
    }

    private void sweep(Connection c) throws SQLException {
        int exhausted = Sql.update(c, QueueSql.SWEEP_EXHAUSTED);
        if (exhausted > 0) {
            log.error("{}: archived {} task(s) as failed whose taskmaster died on their last attempt", config.id(), exhausted);
        }
        Sql.update(c, QueueSql.SWEEP_TASKMASTERS);
        long now = System.currentTimeMillis();
        if (now >= nextUnhandledReportMillis) {
            nextUnhandledReportMillis = now + 60_000;
            reportUnhandled(c);
        }
    }

    private void reportUnhandled(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(QueueSql.UNHANDLED_KINDS); ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                log.warn("{} ready task(s) of kind '{}' (oldest due {}) wait: no live taskmaster has a handler for that kind",
                        rs.getLong(2), rs.getString(1), rs.getTimestamp(3).toInstant());
            }
        }
    }

    private void register(Connection c) throws SQLException {
        Sql.update(c, QueueSql.REGISTER, config.id(), LocalHost.name(), ProcessHandle.current().pid(), config.threads(),
                c.createArrayOf("text", kinds), config.leaseDuration().toMillis());
    }

    private Connection connection() throws SQLException {
        if (connection == null) {
            Connection c = dataSource.getConnection();
            c.setAutoCommit(true);
            // This connection runs only our statements, each designed around one plan: walk an index
            // in order and stop after n rows. Pin that plan so it cannot flip to "bitmap scan and sort
            // everything" when statistics are stale (a freshly filled table claimed at 80 ms instead
            // of 0.3 ms), and plan it once, as it costs more to plan than to run. Reset on release.
            Sql.update(c, DISPATCHER_SETTINGS);
            connection = c;
            register(c);
            nextHeartbeatMillis = 0;
            log.debug("{}: connected", config.id());
        }
        return connection;
    }

    private void closeConnection() {
        if (connection != null) {
            try {
                if (!connection.isClosed()) {
                    Sql.update(connection, RESET_DISPATCHER_SETTINGS);
                    // a pooled connection that kept the sleepers' lock would make every enqueue notify
                    try (Statement s = connection.createStatement()) {
                        s.execute(QueueSql.RELEASE_SESSION_LOCKS);
                    }
                }
            } catch (SQLException ignored) {
                // A broken connection: the pool discards it, setting and all.
            }
            try {
                connection.close();
            } catch (SQLException ignored) {
                // Already broken; dropping it is all we want.
            }
        }
        connection = null;
        claimStatement = null;
        probeStatement = null;
        watch = Watch.AWAKE; // a new session holds no lock, and its first pass claims
    }

    private void pause(Duration wait) {
        try {
            wakeup.await(System.currentTimeMillis() + wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Flush what finished before the deadline; interrupt the handlers still running and give them a
     * short grace to stop, so that a handed-back task does not start elsewhere while its old run
     * still executes; then hand back every run not finished, discarding what the interrupted
     * handlers return. A handler that ignores interruption past the grace is abandoned (logged).
     */
    private void shutDown() {
        try {
            Connection c = connection();
            finishOthers(c);
            if (!pendingSuccesses.isEmpty()) {
                completeAndClaim(c, 0, c.createArrayOf("text", kinds));
            }
            handlers.shutdownNow();
            if (!held.isEmpty() && !awaitHandlers(INTERRUPT_GRACE)) {
                log.warn("{}: {} handler(s) ignored interruption for {}; handing their tasks back anyway, so they may "
                        + "overlap the next run", config.id(), busyHandlers.get(), INTERRUPT_GRACE);
            }
            for (Run run : List.copyOf(held.values())) {
                RunFinisher.Result result = RunFinisher.requeue(c, run.task().id(), run.claimId(), Duration.ZERO, 1,
                        "handed back unfinished when taskmaster " + config.id() + " shut down");
                held.remove(run.claimId());
                if (result == RunFinisher.Result.DONE) {
                    metrics.handedBack.incrementAndGet();
                    log.info("{}: handed task {} ({}) back to the queue unfinished", config.id(), run.task().id(), run.task().kind());
                }
            }
            Sql.update(c, QueueSql.UNREGISTER, config.id());
        } catch (SQLException e) {
            log.warn("{}: could not reach the database at shutdown ({}); its {} unfinished run(s) will be re-run "
                    + "by another taskmaster when their lease expires", config.id(), LogText.reason(e), held.size());
        } finally {
            handlers.shutdownNow();
            closeConnection();
        }
    }

    private static final Duration INTERRUPT_GRACE = Duration.ofSeconds(2);

    private boolean awaitHandlers(Duration grace) {
        try {
            return handlers.awaitTermination(grace.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        return e.getClass().getName() + (message == null ? "" : ": " + message);
    }

    private record Finished(Run run, TaskOutcome outcome) {}

    private record Claimed(Run run, int priority) {
        static final java.util.Comparator<Claimed> ORDER =
                java.util.Comparator.comparingInt((Claimed c) -> -c.priority).thenComparingLong(c -> c.run.task().id());
    }
}
