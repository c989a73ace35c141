package dev.drydock.cli.commands;

import dev.drydock.api.LeaseStatus;
import dev.drydock.cli.Output;
import dev.drydock.taskqueue.QueueStats;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "status", mixinStandardHelpOptions = true, description = "Taskmasters alive, queue depth, leases by state.")
public final class StatusCommand extends Base {
    @Option(names = "--json", description = "print JSON")
    boolean json;

    @Override
    public Integer call() {
        QueueStats queue = drydock().queue().stats();
        Map<LeaseStatus, Long> leases = drydock().leaseCounts();
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("taskmasters", queue.taskmasters().stream().map(t -> Map.of("id", t.id(), "host", t.host(), "pid", t.pid(),
                    "threads", t.threads(), "heartbeatAt", t.heartbeatAt().toString())).toList());
            m.put("queueDepth", queue.depth());
            m.put("unhandledKinds", queue.unhandledKinds());
            Map<String, Long> byStatus = new LinkedHashMap<>();
            leases.forEach((k, v) -> byStatus.put(k.name(), v));
            m.put("leases", byStatus);
            out().println(Output.json(m));
            return 0;
        }
        out().println("taskmasters alive: " + queue.taskmasters().size());
        queue.taskmasters().forEach(t -> out().println("  " + t.id() + " on " + t.host() + " pid " + t.pid() + ", " + t.threads()
                + " threads, last heartbeat " + t.heartbeatAt()));
        if (queue.taskmasters().isEmpty()) {
            out().println("  none: start one with bin/drydock-taskmaster, or leases will wait");
        }
        out().println("queue depth: " + queue.depth() + (queue.unhandledKinds().isEmpty() ? "" : ", unhandled kinds " + queue.unhandledKinds()));
        out().println("leases: " + (leases.isEmpty() ? "none" : leases));
        return 0;
    }
}
