package dev.drydock.cli;

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

    @Override
    public Integer call() throws InterruptedException {
        if (threads < 1 || threads > 1000) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--threads must be 1 to 1000, was " + threads);
        }
        Session session = new Session(Optional.ofNullable(db));
        Taskmaster taskmaster = session.drydock().taskmaster().threads(threads).leaseDuration(taskLease)
                .shutdownTimeout(shutdownTimeout).build().start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            taskmaster.close();
            session.close();
            stopped.countDown();
        }, "drydock-taskmaster-shutdown"));
        System.out.println("drydock-taskmaster " + taskmaster.id() + " running with " + threads + " threads; stop with SIGTERM or Ctrl-C");
        System.out.flush();
        stopped.await();
        return 0;
    }

    public static void main(String[] args) {
        int code = new CommandLine(new DrydockTaskmaster()).registerConverter(Duration.class, new Durations()).execute(args);
        if (code != 0) {
            System.exit(code);
        }
    }
}
