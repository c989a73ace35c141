package dev.drydock.cli.commands;

import dev.drydock.api.BlueprintInfo;
import dev.drydock.api.LeaseInfo;
import dev.drydock.api.LeaseNotFoundException;
import dev.drydock.api.LeaseStatus;
import dev.drydock.core.LogEntry;
import dev.drydock.core.WaitLink;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "why", mixinStandardHelpOptions = true,
        description = "Explain a lease that is not active: what it waits for, which blueprints could serve it and why they don't.")
public final class WhyCommand extends Base {
    @Parameters(paramLabel = "ID")
    long id;

    @Override
    public Integer call() {
        LeaseInfo lease = drydock().allocator().find(id).orElseThrow(() -> new LeaseNotFoundException(id));
        List<LogEntry> history = drydock().logs(Optional.of(id), Optional.empty(), Optional.empty(), 0, 1000);
        String since = history.isEmpty() ? lease.createdAt().toString() : history.get(history.size() - 1).at().toString();
        out().println("lease " + id + " is " + lease.status() + " since " + since + ": " + lease.statusReason());
        if (lease.status() == LeaseStatus.ACQUIRED) {
            // its share of the resource is held; what it waits for is its blueprint's own word, in the reason above
            out().println("it holds its share" + lease.resourceId().map(r -> " of resource " + r).orElse("") + lease.blueprintName().map(b -> " of blueprint " + b).orElse("")
                    + " and waits for the blueprint to prepare it, until its acquire deadline " + lease.acquireDeadline());
        }
        if (lease.status() == LeaseStatus.ACTIVE) {
            out().println("it is active on resource " + lease.resourceId().orElseThrow() + lease.blueprintName().map(b -> " of blueprint " + b).orElse(""));
            // the placement's reason, with the scores that decided it, is in its PENDING -> ACQUIRED log row
            String placed = "lease " + id + " PENDING -> ACQUIRED: ";
            history.stream().map(LogEntry::message).filter(m -> m.startsWith(placed)).reduce((first, last) -> last)
                    .ifPresent(m -> out().println("placed: " + m.substring(placed.length())));
            return 0;
        }
        List<WaitLink> chain = drydock().waitChain(id);
        if (!chain.isEmpty()) {
            out().println("it waits on:");
            chain.forEach(link -> out().println("  " + "  ".repeat(link.depth()) + link.description()));
        }
        out().println("requested " + lease.createdAt() + " for a " + lease.resourceType()
                + (lease.attributes().isEmpty() ? "" : " with " + lease.attributes()) + "; acquire deadline " + lease.acquireDeadline());
        List<BlueprintInfo> candidates = drydock().blueprints().list().stream()
                .filter(b -> b.resourceType().equals(lease.resourceType())).toList();
        if (candidates.isEmpty()) {
            out().println("no blueprint builds resources of type '" + lease.resourceType() + "'");
        } else {
            out().println("blueprints of type " + lease.resourceType() + ":");
            for (BlueprintInfo b : candidates) {
                String state = !b.enabled() ? "disabled"
                        : b.resources() >= b.limit() ? "at its limit (" + b.resources() + " of " + b.limit() + " resources)"
                        : "has room for " + (b.limit() - b.resources()) + " more resource(s)";
                out().println("  " + b.name() + " (" + b.type() + "): " + state);
            }
            java.util.Set<String> names = candidates.stream().map(BlueprintInfo::name).collect(java.util.stream.Collectors.toSet());
            List<dev.drydock.api.WarmPoolInfo> pools = drydock().blueprints().warmPools().stream().filter(p -> names.contains(p.blueprint())).toList();
            if (!pools.isEmpty()) {
                // warm builds yield to waiting leases: a pool that waits says so here
                out().println("their warm pools:");
                pools.forEach(p -> out().println("  " + p.status()));
            }
        }
        out().println("history:");
        history.forEach(e -> out().println("  " + e.at() + "  " + e.message()));
        return 0;
    }

}
