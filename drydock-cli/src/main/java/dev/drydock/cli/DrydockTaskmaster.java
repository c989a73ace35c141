package dev.drydock.cli;

import dev.drydock.core.internal.failure.DatabaseFailures;
import dev.drydock.server.DrydockServer;
import dev.drydock.taskqueue.Taskmaster;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code drydock-taskmaster}: the daemon that does allocation work. SIGTERM (or Ctrl-C) shuts it
 * down gracefully: it stops claiming, lets running work finish, and hands the rest back.
 *
 * <p>Bad input exits 2 with one line on stderr, before anything is opened. A database that does
 * not answer at start-up is waited for (see {@link StartUp}); work starts when it answers. One that
 * refuses the login, the database or a privilege ends the daemon with exit 1 and one line saying
 * what to fix (docs/operations.md).
 */
@Command(name = "drydock-taskmaster", mixinStandardHelpOptions = true, version = "drydock 0.1.0",
        description = "Run the Drydock taskmaster daemon.")
public final class DrydockTaskmaster implements Callable<Integer> {
    @Option(names = "--db", paramLabel = "JDBC_URL", description = "PostgreSQL to use (default: $DRYDOCK_DB_URL, else the local server under ~/.drydock)")
    String db;

    @Option(names = "--threads", defaultValue = "16", description = "work items at once (default ${DEFAULT-VALUE})")
    int threads;

    @Option(names = "--task-lease", defaultValue = "30s", converter = Durations.class,
            description = "how long work stays claimed without a heartbeat; a crashed daemon's work resumes elsewhere after this (default ${DEFAULT-VALUE})")
    Duration taskLease;

    @Option(names = "--shutdown-timeout", defaultValue = "30s", converter = Durations.class,
            description = "how long running work may finish at shutdown (default ${DEFAULT-VALUE})")
    Duration shutdownTimeout;

    @Option(names = "--http", paramLabel = "HOST:PORT",
            description = "also serve the HTTP API and console there, e.g. 127.0.0.1:8080 (tokens: drydock-control token create)")
    String http;

    private Session session;
    private volatile DrydockServer server;

    @Override
    public Integer call() throws InterruptedException {
        validate();
        Session session = openSession();
        session.dataSource(); // a malformed --db is refused here; the pool connects only when used
        StartUp startUp = new StartUp();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            startUp.stop();
            DrydockServer serving = server;
            if (serving != null) {
                serving.close();
            }
            session.close();
            stopped.countDown();
        }, "drydock-taskmaster-shutdown"));
        // Translated here, so that whatever a lost connection throws on the way is waited out, not fatal.
        DatabaseFailures failures = DatabaseFailures.of(session.dataSource());
        Optional<Taskmaster> started = startUp.start(() -> failures.call("start the taskmaster", () -> session.drydock().taskmaster()
                .threads(threads).leaseDuration(taskLease).shutdownTimeout(shutdownTimeout).build().start()));
        if (started.isEmpty()) {
            stopped.await(); // stopped while waiting for the database
            return 0;
        }
        Taskmaster taskmaster = started.get();
        if (http != null) {
            HttpAddress address = HttpAddress.parse(http);
            server = DrydockServer.builder(session.drydock()).host(address.host()).port(address.port()).build().start();
            System.out.println("HTTP API at " + server.uri() + " (every route but /healthz needs a token: drydock-control token create)");
        }
        System.out.println("drydock-taskmaster " + taskmaster.id() + " running with " + threads + " threads; stop with SIGTERM or Ctrl-C");
        System.out.flush();
        stopped.await();
        return 0;
    }

    /** Kept in a field too, for {@link #translate}. */
    private synchronized Session openSession() {
        this.session = new Session(Optional.ofNullable(db));
        return this.session;
    }

    /** Refuses settings that cannot work, naming the option, the rule and the value given. */
    private void validate() {
        if (http != null) {
            HttpAddress.parse(http);
        }
        if (threads < 1 || threads > 1000) {
            throw new BadInput("--threads must be 1 to 1000, was " + threads);
        }
        if (taskLease.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new BadInput("--task-lease must be at least 1s (default 30s), was " + shown(taskLease));
        }
        if (shutdownTimeout.isNegative()) {
            throw new BadInput("--shutdown-timeout must not be negative (default 30s), was " + shown(shutdownTimeout));
        }
    }

    public static void main(String[] args) {
        int code = execute(args);
        if (code != 0) { // 0 is returned from inside the shutdown, where System.exit would block for ever
            System.exit(code);
        }
    }

    /** Runs the daemon; returns the exit code (0 stopped, 1 failed, 2 bad input). */
    static int execute(String... args) {
        DrydockTaskmaster daemon = new DrydockTaskmaster();
        CommandLine cli = new CommandLine(daemon).registerConverter(Duration.class, new Durations());
        // One line, as drydock-control does: picocli's default follows the message with the whole usage text.
        cli.setParameterExceptionHandler((e, given) -> {
            e.getCommandLine().getErr().println(e.getCommandLine().getCommandName() + ": " + e.getMessage() + " (see --help)");
            return DrydockControl.BAD_INPUT;
        });
        cli.setExecutionExceptionHandler((e, commandLine, parsed) -> FailureReport.report(e, commandLine, daemon::translate));
        return cli.execute(args);
    }

    /** A database failure that reached here without passing through Drydock's API, said as Drydock says it. */
    private synchronized RuntimeException translate(RuntimeException e) {
        if (session == null || !DatabaseFailures.fromTheDatabase(e)) {
            return e;
        }
        return DatabaseFailures.of(session.dataSource()).translate("start the taskmaster", e);
    }

    private static String shown(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }
}
