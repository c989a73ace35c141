package dev.drydock.server.console;

import dev.drydock.api.ResourceInfo;
import dev.drydock.api.ResourceStatus;
import dev.drydock.core.Drydock;
import dev.drydock.core.ResourceConfig;
import dev.drydock.core.ResourceLeases;
import dev.drydock.core.ResourceQuery;
import dev.drydock.server.Query;
import io.javalin.http.Context;
import java.util.List;
import java.util.Optional;

/** {@code /ui/resources}: the list (filtered, paged by id) and one resource with its leases, sub-leases and history. */
final class ResourcePages {
    static final int LEASES = 50;
    static final int HISTORY = 200;
    private final Drydock drydock;

    ResourcePages(Drydock drydock) {
        this.drydock = drydock;
    }

    List<Page> pages() {
        return List.of(
                Page.get(Console.PREFIX + "/resources", this::list),
                Page.get(Console.PREFIX + "/resources/{id}", this::detail));
    }

    /** A resource's page: the resource, the configuration its steps use, its leases and its latest history, oldest first. */
    public record ResourceDetail(Viewer viewer, ResourceInfo resource, Optional<ResourceConfig> config, ResourceLeases leases,
                                 History history) {}

    /** The list's model. */
    public record ResourceList(Viewer viewer, Filters filter, List<ResourceInfo> resources, Optional<String> next) {
        public List<ResourceStatus> statuses() {
            return List.of(ResourceStatus.values());
        }
    }

    private void list(Context ctx, Viewer viewer) {
        Filters filter = Filters.of(ctx, "status", "type", "blueprint");
        List<ResourceInfo> page = drydock.resources(new ResourceQuery(filter.get("status").map(s -> Query.enumOf("status", s, ResourceStatus.class)),
                filter.get("type"), filter.get("blueprint"), Query.longValue(ctx, "before", Long.MAX_VALUE, 1, Long.MAX_VALUE), LeasePages.PAGE));
        Optional<String> next = page.size() < LeasePages.PAGE ? Optional.empty()
                : Optional.of(filter.link(Console.PREFIX + "/resources", page.getLast().id()));
        Templates.page(ctx, "resources", new ResourceList(viewer, filter, page, next));
    }

    private void detail(Context ctx, Viewer viewer) {
        long id = Query.pathId(ctx);
        ResourceInfo resource = drydock.resource(id).orElseThrow(() -> new Refusal(404, "There is no resource " + id
                + ". Find resources on the resources page."));
        Templates.page(ctx, "resource", new ResourceDetail(viewer, resource, drydock.resourceConfig(id), drydock.leasesOf(id, LEASES),
                History.latest(drydock, Optional.empty(), Optional.of(id), Optional.empty(), Long.MAX_VALUE, HISTORY)));
    }
}
