package dev.drydock.taskqueue;

import dev.drydock.taskqueue.internal.Dispatcher;
import dev.drydock.taskqueue.internal.LocalTaskmasters;
import dev.drydock.taskqueue.internal.NotificationListener;
import dev.drydock.taskqueue.internal.Presence;
import dev.drydock.taskqueue.internal.TaskmasterConfig;
import dev.drydock.taskqueue.internal.Wakeup;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Works the queue: claims tasks of the kinds it has handlers for and runs them on up to
 * {@code threads} virtual threads at once. Any number of taskmasters, in any number of processes,
 * may share one database.
 *
 * <p>Guarantees: at-least-once execution (a task whose taskmaster's process dies runs again within
 * about a second or two, as soon as a live taskmaster sees its database sessions gone; one whose
 * taskmaster freezes or loses the network runs again once its lease expires); at most one run at a time of tasks sharing a serialization key; an outcome from a run
 * whose lease expired and was taken over is discarded, never written over the newer run. It holds
 * two connections from the data source for its whole life (one to work, one to listen) and
 * survives the database going away: it reconnects with backoff and flushes outcomes it kept.
 *
 * <p>{@link #close()} stops claiming, lets in-flight tasks finish until the shutdown timeout, and
 * hands the rest back to the queue so another taskmaster takes them at once. It is idempotent.
 */
public final class Taskmaster implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Taskmaster.class);

    private enum State { NEW, RUNNING, STOPPED }

    private final TaskmasterConfig config;
    private final AtomicReference<State> state = new AtomicReference<>(State.NEW);
    private final Wakeup wakeup = new Wakeup();
    private final ExecutorService handlerThreads;
    private final Dispatcher dispatcher;
    private final NotificationListener listener;
    private final Presence presence;
    private final DataSource dataSource;
    private Thread dispatcherThread;
    private Thread listenerThread;

    private Taskmaster(DataSource dataSource, TaskmasterConfig config) {
        this.config = config;
        this.dataSource = dataSource;
        // Platform threads, as many as the taskmaster runs at once: handlers block in JDBC, whose
        // socket reads pin or park virtual threads through the poller, which cost a tenth of a
        // taskmaster's CPU under load; a fixed pool never runs more than the dispatcher claims.
        this.handlerThreads = Executors.newFixedThreadPool(config.threads(),
                Thread.ofPlatform().daemon().name(config.id() + "-task-", 0).factory());
        this.dispatcher = new Dispatcher(dataSource, config, handlerThreads, wakeup);
        this.presence = new Presence(config, wakeup);
        this.listener = new NotificationListener(dataSource, wakeup, config.pollInterval(), config.id(), presence);
    }

    public static Builder builder(DataSource dataSource) {
        return new Builder(dataSource);
    }

    /** Starts claiming; returns at once. May be called once. */
    public Taskmaster start() {
        if (!state.compareAndSet(State.NEW, State.RUNNING)) {
            throw new IllegalStateException("taskmaster " + config.id() + " was already started");
        }
        log.info("taskmaster {} starting: {} threads, lease {}, poll {}, kinds {}", config.id(), config.threads(),
                config.leaseDuration(), config.pollInterval(), config.kinds().toList());
        LocalTaskmasters.register(dataSource, config.kinds().collect(Collectors.toSet()), wakeup);
        listenerThread = Thread.ofPlatform().daemon().name(config.id() + "-listen").start(listener);
        awaitPresence();
        dispatcherThread = Thread.ofPlatform().name(config.id() + "-dispatch").start(dispatcher);
        return this;
    }

    /**
     * Claims only once the database can tell that this taskmaster lives (see {@link Presence}),
     * unless that takes longer than {@link #PRESENCE_WAIT}, as when the database is down.
     */
    private void awaitPresence() {
        try {
            if (!presence.awaitFirstTaken(PRESENCE_WAIT)) {
                log.warn("taskmaster {}: could not register its presence within {}; starting anyway, and should it die "
                        + "before it does, its tasks wait for their lease to run out before they run elsewhere", config.id(), PRESENCE_WAIT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static final Duration PRESENCE_WAIT = Duration.ofSeconds(2);

    public String id() {
        return config.id();
    }

    public TaskmasterMetrics metrics() {
        return dispatcher.metrics();
    }

    /** Graceful shutdown with the configured timeout; see the class description. */
    @Override
    public void close() {
        close(config.shutdownTimeout());
    }

    /** Graceful shutdown: in-flight tasks may finish until {@code timeout}, the rest are handed back. */
    public void close(Duration timeout) {
        State previous = state.getAndSet(State.STOPPED);
        if (previous != State.RUNNING) {
            return;
        }
        log.info("taskmaster {} stopping: waiting up to {} for running tasks", config.id(), timeout);
        presence.leaving(); // the dispatcher unregisters at the end: not to be recorded again after
        LocalTaskmasters.unregister(wakeup);
        dispatcher.stop(timeout);
        try {
            dispatcherThread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        listener.stop();
        try {
            listenerThread.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // The dispatcher already interrupted handlers and handed their tasks back; one that still
        // ignores interruption is abandoned rather than allowed to hang close().
        try {
            if (!handlerThreads.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS)) {
                log.warn("taskmaster {}: abandoning handler threads that ignore interruption", config.id());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.info("taskmaster {} stopped: {}", config.id(), dispatcher.metrics());
    }


    /** Settings for a {@link Taskmaster}; all have defaults except the handlers. */
    public static final class Builder {
        private final DataSource dataSource;
        private final Map<String, TaskHandler> handlers = new LinkedHashMap<>();
        private final Map<String, TaskmasterConfig.Batched> batchHandlers = new LinkedHashMap<>();
        private final Set<String> forgottenSuccesses = new LinkedHashSet<>();
        private String name = "taskmaster";
        private int threads = 8;
        private Duration leaseDuration = Duration.ofSeconds(30);
        private Duration pollInterval = Duration.ofSeconds(1);
        private Duration shutdownTimeout = Duration.ofSeconds(30);
        private boolean prefetch = true;

        private Builder(DataSource dataSource) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        }

        /** Runs tasks of {@code kind} with {@code handler}; one handler per kind. */
        public Builder handler(String kind, TaskHandler handler) {
            Objects.requireNonNull(handler, "handler");
            checkNewKind(kind);
            handlers.put(kind, handler);
            return this;
        }

        /**
         * Runs tasks of {@code kind} in batches with {@code handler} (see {@link BatchTaskHandler}),
         * at most {@code batchesAtOnce} batches at a time; one handler per kind. Each running batch
         * takes one of the taskmaster's threads.
         */
        public Builder batchHandler(String kind, int batchesAtOnce, BatchTaskHandler handler) {
            Objects.requireNonNull(handler, "handler");
            checkNewKind(kind);
            if (batchesAtOnce < 1 || batchesAtOnce > 10_000) {
                throw new IllegalArgumentException("batchesAtOnce must be 1 to 10000, was " + batchesAtOnce);
            }
            batchHandlers.put(kind, new TaskmasterConfig.Batched(handler, batchesAtOnce));
            return this;
        }

        /**
         * Deletes the successful runs of {@code kind} instead of archiving them: for a kind whose
         * outcomes are recorded elsewhere (Drydock's lease updates write a log row for every
         * transition they make), it spares the queue a write per task and the archive its growth.
         * Failed and cancelled tasks of the kind are archived as always, so they can still be
         * inspected and retried; a succeeded one can no longer be found by its id. The kind needs a
         * handler on this taskmaster.
         */
        public Builder forgetSuccesses(String kind) {
            forgottenSuccesses.add(Objects.requireNonNull(kind, "kind"));
            return this;
        }

        private void checkNewKind(String kind) {
            Objects.requireNonNull(kind, "kind");
            if (kind.isBlank() || kind.length() > 200) {
                throw new IllegalArgumentException("task kind must be 1 to 200 non-blank characters, was '" + kind + "'");
            }
            if (handlers.containsKey(kind) || batchHandlers.containsKey(kind)) {
                throw new IllegalArgumentException("a handler for kind '" + kind + "' is already registered");
            }
        }

        /** A prefix for the taskmaster's id and thread names. Default {@code taskmaster}. */
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        /** How many tasks run at once. Default 8. */
        public Builder threads(int threads) {
            if (threads < 1 || threads > 10_000) {
                throw new IllegalArgumentException("threads must be 1 to 10000, was " + threads);
            }
            this.threads = threads;
            return this;
        }

        /**
         * How long a claimed task stays ours without a heartbeat; heartbeats come three times per
         * lease. A taskmaster that freezes or is cut off from the database keeps its tasks this long
         * at most; one whose process dies loses them within seconds. Default 30 s.
         */
        public Builder leaseDuration(Duration lease) {
            Objects.requireNonNull(lease, "leaseDuration");
            if (lease.compareTo(Duration.ofSeconds(1)) < 0) {
                throw new IllegalArgumentException("leaseDuration must be at least 1 s, was " + lease);
            }
            this.leaseDuration = lease;
            return this;
        }

        /** Longest wait between claims when no notification arrives. Default 1 s. */
        public Builder pollInterval(Duration interval) {
            Objects.requireNonNull(interval, "pollInterval");
            if (interval.toMillis() < 10) {
                throw new IllegalArgumentException("pollInterval must be at least 10 ms, was " + interval);
            }
            this.pollInterval = interval;
            return this;
        }

        /** How long {@link #close()} lets running tasks finish. Default 30 s. */
        public Builder shutdownTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "shutdownTimeout");
            if (timeout.isNegative()) {
                throw new IllegalArgumentException("shutdownTimeout must not be negative, was " + timeout);
            }
            this.shutdownTimeout = timeout;
            return this;
        }

        /**
         * Whether, under a backlog, it claims more tasks than it has free threads, up to eight per
         * thread, so that a thread starts its next task without waiting for a round trip to the
         * database. A claimed task it has not started within 500 ms is given back to the queue.
         * Only plain handlers' kinds are claimed ahead (never while a batch kind is claimable). Default true.
         */
        public Builder prefetch(boolean enabled) {
            this.prefetch = enabled;
            return this;
        }

        public Taskmaster build() {
            if (handlers.isEmpty() && batchHandlers.isEmpty()) {
                throw new IllegalStateException("a taskmaster needs at least one handler: call handler(kind, handler)");
            }
            for (String kind : forgottenSuccesses) {
                if (!handlers.containsKey(kind) && !batchHandlers.containsKey(kind)) {
                    throw new IllegalStateException("forgetSuccesses names kind '" + kind + "', which has no handler here: "
                            + "register one with handler(kind, handler) or batchHandler(...)");
                }
            }
            String id = name + "-" + UUID.randomUUID().toString().substring(0, 8);
            return new Taskmaster(dataSource, new TaskmasterConfig(id, threads, leaseDuration, pollInterval, shutdownTimeout, handlers,
                    batchHandlers, forgottenSuccesses, prefetch));
        }
    }
}
