package dev.drydock.cli.commands;

import dev.drydock.api.ResourceInfo;
import dev.drydock.api.ResourceStatus;
import dev.drydock.core.ResourceQuery;
import dev.drydock.cli.Output;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "resource", mixinStandardHelpOptions = true, description = "List, show and release resources.",
        subcommands = {ResourceCommand.ListResources.class, ResourceCommand.Show.class, ResourceCommand.Release.class,
                ResourceCommand.UseCurrentConfig.class})
public final class ResourceCommand extends Base {
    @Override
    public Integer call() {
        throw bad("say what to do: list, show, release or use-current-config");
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List resources, newest first.")
    static final class ListResources extends Base {
        @Option(names = "--status", description = "only resources in this status: ${COMPLETION-CANDIDATES}")
        ResourceStatus status;

        @Mixin
        ListOptions list;

        @Option(names = "--json", description = "print JSON")
        boolean json;

        @Override
        public Integer call() {
            ResourceQuery query = ResourceQuery.newest(list.limit);
            query = status == null ? query : query.withStatus(status);
            query = list.type().map(query::withResourceType).orElse(query);
            query = list.blueprint().map(query::withBlueprint).orElse(query);
            List<ResourceInfo> all = drydock().resources(list.before().map(query::before).orElse(query));
            if (json) {
                out().println(Output.json(all.stream().map(Output::resource).toList()));
                return 0;
            }
            out().printf("%-8s %-10s %-12s %-16s %-8s %s%n", "ID", "STATUS", "TYPE", "BLUEPRINT", "LEASES", "REASON");
            all.forEach(r -> out().printf("%-8d %-10s %-12s %-16s %-8s %s%n", r.id(), r.status(), r.resourceType(), r.blueprintName(),
                    r.activeLeases() + "/" + r.capacity(), r.statusReason()));
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one resource.")
    static final class Show extends Base {
        @Parameters(paramLabel = "ID")
        long id;

        @Override
        public Integer call() {
            ResourceInfo r = drydock().resource(id).orElseThrow(() -> bad("no resource " + id));
            // the configuration its steps use: references only, never secret values (architecture decision 42)
            out().println(Output.json(Output.resource(r, drydock().resourceConfig(id))));
            return 0;
        }
    }

    @Command(name = "use-current-config", mixinStandardHelpOptions = true,
            description = "Point a resource at its blueprint's current configuration: every step of a resource uses the one it was"
                    + " built with, so after fixing a mistaken configuration (say, a failing destroy's key), run this.")
    static final class UseCurrentConfig extends Base {
        @Parameters(paramLabel = "ID")
        long id;

        @Override
        public Integer call() {
            if (drydock().useCurrentConfig(id, dev.drydock.cli.OsUser.describe())) {
                out().println("resource " + id + " now uses its blueprint's current configuration; a build or destroy in progress is tried"
                        + " again now");
            } else {
                out().println("resource " + id + " already uses its blueprint's current configuration; nothing changed");
            }
            return 0;
        }
    }

    @Command(name = "release", mixinStandardHelpOptions = true, description = "Release an idle resource so it is destroyed.")
    static final class Release extends Base {
        @Parameters(paramLabel = "ID")
        long id;

        @Override
        public Integer call() {
            if (drydock().releaseResource(id)) {
                out().println("released resource " + id + "; it is destroyed next");
                return 0;
            }
            ResourceInfo r = drydock().resource(id).orElseThrow(() -> bad("no resource " + id));
            out().println("resource " + id + " was not released now: it is " + r.status() + " already ("
                    + r.statusReason() + ")" + (r.status() == dev.drydock.api.ResourceStatus.DESTROYED ? ""
                    : "; its destruction was tried again now"));
            return 0;
        }
    }
}
