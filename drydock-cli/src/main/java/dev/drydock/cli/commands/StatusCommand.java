package dev.drydock.cli.commands;

import dev.drydock.api.LeaseStatus;
import dev.drydock.cli.Output;
import dev.drydock.core.DestroyFailures;
import dev.drydock.core.Reapers;
import dev.drydock.server.Documents;
import dev.drydock.taskqueue.QueueStats;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "status", mixinStandardHelpOptions = true, description = "Taskmasters alive, queue depth, leases by state, failing destroys, warm pools, what reapers did.")
public final class StatusCommand extends Base {
    /** Taskmasters' heartbeats and the queue change without a lease changing: shown again at least this often. */
    static final Duration REFRESH = Duration.ofSeconds(5);

    @Option(names = "--json", description = "print JSON")
    boolean json;

    @Option(names = "--watch", description = "show it again whenever it changes, until Ctrl-C")
    boolean watch;

    @Override
    public Integer call() {
        if (watch) {
            return Watcher.watch(out(), this::show, Watcher.anyLease(drydock().watchLeases(), REFRESH));
        }
        show(out());
        return 0;
    }

    private void show(PrintWriter out) {
        if (json) {
            out.println(Output.json(Documents.status(drydock())));
            return;
        }
        QueueStats queue = drydock().queue().stats();
        Map<LeaseStatus, Long> leases = drydock().leaseCounts();
        Map<String, Long> unrun = drydock().typesWithoutTaskmaster();
        DestroyFailures failing = drydock().destroyFailures(Documents.SHOWN_FAILURES);
        Reapers reapers = drydock().reapers();
        out.println("installation: " + drydock().installationId() + " (what Drydock tags outside the database with)");
        out.println("taskmasters alive: " + queue.taskmasters().size());
        queue.taskmasters().forEach(t -> out.println("  " + t.id() + " on " + t.host() + " pid " + t.pid() + ", " + t.threads()
                + " threads, last heartbeat " + t.heartbeatAt()));
        if (queue.taskmasters().isEmpty()) {
            out.println("  none: start one with bin/drydock-taskmaster, or leases will wait");
        }
        out.println("queue depth: " + queue.depth() + (queue.unhandledKinds().isEmpty() ? "" : ", unhandled kinds " + queue.unhandledKinds()));
        unrun.forEach((type, tasks) -> out.println("blueprint type " + type + ": " + tasks + " task" + (tasks == 1 ? "" : "s")
                + " wait, and no running taskmaster has blueprint type " + type + "; start one with it registered"));
        out.println("leases: " + (leases.isEmpty() ? "none" : leases));
        if (failing.count() > 0) {
            // each still holds its place in its blueprint's limit, and may still hold what it runs on
            out.println(failing.count() + " resource" + (failing.count() == 1 ? "" : "s") + " failing to destroy (tried again until done; "
                    + "fix the host, or fix the blueprint and run resource use-current-config ID: each uses the configuration"
                    + " it was built with):");
            failing.latest().forEach(f -> out.println("  resource " + f.resourceId() + " of blueprint " + f.blueprint() + ": " + f.reason()));
        }
        java.util.List<dev.drydock.api.WarmPoolInfo> pools = drydock().blueprints().warmPools();
        if (!pools.isEmpty()) {
            out.println("warm pools (what the planner wants, and why):");
            pools.forEach(p -> out.println("  " + p.status()));
        }
        ReaperLines.of(reapers).forEach(out::println);
    }
}
