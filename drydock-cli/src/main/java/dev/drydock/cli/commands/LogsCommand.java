package dev.drydock.cli.commands;

import dev.drydock.core.LogEntry;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "logs", mixinStandardHelpOptions = true, description = "Show lease and resource history.")
public final class LogsCommand extends Base {
    @Option(names = "--lease", paramLabel = "ID")
    Long lease;

    @Option(names = "--resource", paramLabel = "ID")
    Long resource;

    @Option(names = "--blueprint", paramLabel = "NAME")
    String blueprint;

    @Option(names = "--follow", description = "keep printing new lines until interrupted")
    boolean follow;

    @Override
    public Integer call() throws InterruptedException {
        // Name what does not exist rather than print nothing (or, with --follow, wait for ever).
        if (lease != null && drydock().allocator().find(lease).isEmpty()) {
            throw new dev.drydock.api.LeaseNotFoundException(lease);
        }
        if (resource != null && drydock().resource(resource).isEmpty()) {
            throw bad("no resource " + resource);
        }
        if (blueprint != null && drydock().blueprints().find(blueprint).isEmpty()) {
            throw bad("no blueprint named '" + blueprint + "'");
        }
        long last = 0;
        do {
            List<LogEntry> entries = drydock().logs(Optional.ofNullable(lease), Optional.ofNullable(resource),
                    Optional.ofNullable(blueprint), last, 1000);
            for (LogEntry e : entries) {
                out().println(e.at() + "  " + e.message());
                last = e.id();
            }
            out().flush();
            if (follow && entries.isEmpty()) {
                Thread.sleep(250); // a terminal follower; polling is fine here
            }
        } while (follow);
        return 0;
    }
}
