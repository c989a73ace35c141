package dev.drydock.cli.commands;

import dev.drydock.api.Lease;
import dev.drydock.api.LeaseInfo;
import dev.drydock.api.LeaseRequest;
import dev.drydock.api.LeaseStatus;
import dev.drydock.cli.HeldLeases;
import dev.drydock.cli.Output;
import dev.drydock.core.LeaseQuery;
import dev.drydock.core.LogEntry;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "lease", mixinStandardHelpOptions = true,
        description = "Request leases and wait until they are active, showing progress; Ctrl-C while waiting releases them.",
        subcommands = {LeaseCommand.ListLeases.class, LeaseCommand.Show.class})
public final class LeaseCommand extends Base {
    @Option(names = "--type", description = "resource type, e.g. host")
    String type;

    @Option(names = "--attr", paramLabel = "KEY=VALUE", description = "a requirement (repeatable)")
    Map<String, String> attributes = Map.of();

    @Option(names = "--blueprint", paramLabel = "NAME", description = "only this blueprint may serve it (repeatable)")
    List<String> blueprints = List.of();

    @Option(names = "--count", defaultValue = "1", description = "how many leases (default ${DEFAULT-VALUE})")
    int count;

    @Option(names = "--ttl", description = "release automatically this long after becoming active, e.g. 2h")
    Duration ttl;

    @Option(names = "--deadline", description = "break if not active within this, e.g. 10m (default 10m)")
    Duration deadline;

    @Option(names = "--no-wait", description = "print the ids and return without waiting")
    boolean noWait;

    @Option(names = "--json", description = "print one JSON document")
    boolean json;

    @Option(names = "--all-or-nothing", description = "request the --count leases as one gang: they become active together or not at"
            + " all, and hold nothing while they wait (docs/planner.md)")
    boolean allOrNothing;

    /** The gang the leases were requested as, with --all-or-nothing. */
    private Optional<Long> gang = Optional.empty();

    @Override
    public Integer call() {
        if (type == null) {
            throw bad("--type is required, e.g. --type host (or use 'lease list' / 'lease show ID')");
        }
        if (count < 1 || count > 1000) {
            throw bad("--count must be 1 to 1000, was " + count);
        }
        LeaseRequest.Builder builder = LeaseRequest.builder(type);
        attributes.forEach(builder::attribute);
        blueprints.forEach(builder::blueprint);
        if (ttl != null) {
            builder.ttl(ttl);
        }
        if (deadline != null) {
            builder.acquireDeadline(deadline);
        }
        LeaseRequest request = builder.build(); // validates before anything is stored
        HeldLeases held = held();
        List<Lease> leases = new ArrayList<>();
        if (allOrNothing) {
            dev.drydock.api.Gang requested = drydock().allocator().acquireAll(java.util.Collections.nCopies(count, request));
            gang = Optional.of(requested.id());
            leases.addAll(requested.leases());
            leases.forEach(lease -> held.tokens().save(lease.id(), lease.ownerToken()));
        }
        for (int i = leases.size(); i < count; i++) {
            Lease lease = drydock().allocator().acquire(request);
            leases.add(lease);
            // Kept at once, so that exec, fs and release of this user act as its holder, even if
            // this command is interrupted while it waits.
            held.tokens().save(lease.id(), lease.ownerToken());
        }
        if (noWait) {
            print(leases);
            return 0;
        }
        AtomicBoolean done = new AtomicBoolean();
        Thread releaseOnInterrupt = new Thread(() -> {
            if (!done.get()) {
                leases.forEach(Lease::release);
                leases.forEach(l -> held.tokens().forget(l.id()));
                err().println("interrupted: released lease(s) " + leases.stream().map(l -> Long.toString(l.id())).toList());
                err().flush();
            }
        });
        Runtime.getRuntime().addShutdownHook(releaseOnInterrupt);
        try {
            boolean allActive = waitShowingProgress(leases, request.acquireDeadline().plusSeconds(5));
            done.set(true);
            leases.forEach(l -> held.info(l.id())); // a lease that broke loses its kept token
            print(leases);
            return allActive ? 0 : dev.drydock.cli.DrydockControl.FAILED;
        } finally {
            done.set(true);
            try {
                Runtime.getRuntime().removeShutdownHook(releaseOnInterrupt);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or has run
            }
        }
    }

    private boolean waitShowingProgress(List<Lease> leases, Duration max) {
        Map<Long, Long> lastLog = new java.util.HashMap<>();
        long until = System.nanoTime() + max.toNanos();
        Map<Long, String> shownReason = new java.util.HashMap<>();
        while (true) {
            // The status first, then the log: a transition's log line commits with it, so every line up
            // to the status read is printed before the loop decides to stop.
            List<LeaseInfo> infos = leases.stream().map(Lease::info).toList();
            for (Lease lease : leases) {
                long after = lastLog.getOrDefault(lease.id(), 0L);
                for (LogEntry entry : drydock().logs(Optional.of(lease.id()), Optional.empty(), Optional.empty(), after, 100)) {
                    err().println("  " + entry.at() + "  lease " + lease.id() + ": " + entry.message());
                    lastLog.put(lease.id(), entry.id());
                }
            }
            for (LeaseInfo info : infos) {
                // What a pending lease waits for changes without a transition; show it when it does.
                if (info.status() == LeaseStatus.PENDING && !info.statusReason().equals(shownReason.put(info.id(), info.statusReason()))) {
                    err().println("  lease " + info.id() + ": " + info.statusReason());
                }
            }
            err().flush();
            if (infos.stream().allMatch(i -> i.status() == LeaseStatus.ACTIVE || i.status().isDone()) || System.nanoTime() > until) {
                return infos.stream().allMatch(i -> i.status() == LeaseStatus.ACTIVE);
            }
            try {
                leases.get(0).await(Duration.ofMillis(200));
            } catch (RuntimeException stillWaitingOrBroken) {
                // progress is printed from the log; the loop decides when to stop
            }
        }
    }

    private void print(List<Lease> leases) {
        List<LeaseInfo> infos = leases.stream().map(Lease::info).toList();
        if (json && gang.isPresent()) {
            Map<String, Object> document = new java.util.LinkedHashMap<>();
            document.put("gang", gang.get());
            document.put("leases", infos.stream().map(Output::lease).toList());
            out().println(Output.json(document));
            return;
        }
        if (json) {
            out().println(Output.json(infos.size() == 1 ? Output.lease(infos.get(0)) : infos.stream().map(Output::lease).toList()));
            return;
        }
        gang.ifPresent(g -> out().println("gang " + g + " of " + infos.size() + " leases, active together or not at all"));
        for (LeaseInfo info : infos) {
            out().println("lease " + info.id() + " " + info.status() + (info.status() == LeaseStatus.ACTIVE
                    ? " on resource " + Output.json(info.resourceId().orElse(null)) : "") + ": " + info.statusReason());
            servedAt(info).ifPresent(uri -> out().println("  serving at " + uri));
        }
        List<String> live = infos.stream().filter(i -> !i.status().isDone()).map(i -> Long.toString(i.id())).toList();
        if (!live.isEmpty()) { // an ended lease has nothing to release
            out().println("release with: drydock-control release " + String.join(" ", live));
        }
    }

    /** The URI an ACTIVE lease's files are served at (a web root's {@code uri} attribute), if it has one. */
    static Optional<String> servedAt(LeaseInfo info) {
        return Optional.ofNullable(info.leaseAttributes().get("uri")).filter(uri -> info.status() == LeaseStatus.ACTIVE);
    }

    /** How long a watch waits on the database before reading again, whatever it was told. */
    static final Duration REFRESH = Duration.ofSeconds(30);

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List leases, newest first.")
    static final class ListLeases extends Base {
        @Option(names = "--status", description = "only leases in this status: ${COMPLETION-CANDIDATES}")
        LeaseStatus status;

        @Mixin
        ListOptions list;

        @Option(names = "--json", description = "print JSON")
        boolean json;

        @Option(names = "--watch", description = "show the list again whenever a lease changes, until Ctrl-C")
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
            LeaseQuery query = LeaseQuery.newest(list.limit);
            query = status == null ? query : query.withStatus(status);
            query = list.type().map(query::withResourceType).orElse(query);
            query = list.blueprint().map(query::withBlueprint).orElse(query);
            List<LeaseInfo> all = drydock().leases(list.before().map(query::before).orElse(query));
            if (json) {
                out.println(Output.json(all.stream().map(Output::lease).toList()));
                return;
            }
            out.printf("%-8s %-10s %-12s %-9s %s%n", "ID", "STATUS", "TYPE", "RESOURCE", "REASON");
            all.forEach(l -> out.printf("%-8d %-10s %-12s %-9s %s%n", l.id(), l.status(), l.resourceType(),
                    l.resourceId().map(Object::toString).orElse("-"), l.statusReason()));
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one lease.")
    static final class Show extends Base {
        @Parameters(paramLabel = "ID")
        long id;

        @Option(names = "--json", description = "print JSON")
        boolean json;

        @Option(names = "--watch", description = "show it again whenever its status changes, until it is destroyed or Ctrl-C")
        boolean watch;

        @Override
        public Integer call() {
            LeaseInfo first = find();
            if (!watch) {
                show(out(), first);
                return 0;
            }
            LeaseInfo[] latest = {first}; // the long-poll answers with the lease as it is: shown without reading it again
            return Watcher.watch(out(), out -> show(out, latest[0]), () -> {
                if (latest[0].status() == LeaseStatus.DESTROYED) {
                    return false;
                }
                latest[0] = drydock().awaitLeaseChange(id, latest[0].status(), REFRESH);
                return true;
            });
        }

        private LeaseInfo find() {
            return drydock().allocator().find(id).orElseThrow(() -> new dev.drydock.api.LeaseNotFoundException(id));
        }

        private void show(PrintWriter out, LeaseInfo info) {
            if (json) {
                out.println(Output.json(Output.lease(info)));
                return;
            }
            out.println("lease " + info.id() + " " + info.status() + ": " + info.statusReason());
            servedAt(info).ifPresent(uri -> out.println("  serving at  " + uri));
            out.println("  type        " + info.resourceType() + info.blueprintName().map(b -> " (blueprint " + b + ")").orElse(""));
            out.println("  resource    " + info.resourceId().map(Object::toString).orElse("-"));
            out.println("  created     " + info.createdAt());
            info.activatedAt().ifPresent(at -> out.println("  activated   " + at));
            info.expiresAt().ifPresent(at -> out.println("  expires     " + at));
            info.leaseAttributes().forEach((k, v) -> out.println("  " + k + " = " + v));
        }
    }
}
