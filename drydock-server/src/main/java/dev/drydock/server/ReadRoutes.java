package dev.drydock.server;

import dev.drydock.api.ResourceInfo;
import dev.drydock.api.ResourceStatus;
import dev.drydock.core.ApiToken;
import dev.drydock.core.Drydock;
import dev.drydock.core.ResourceQuery;
import dev.drydock.core.TokenScope;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Health, status and resources: a newest-first page of them, filtered, and one with its configuration. */
final class ReadRoutes {
    private final Drydock drydock;

    ReadRoutes(Drydock drydock) {
        this.drydock = drydock;
    }

    List<Route> routes() {
        return List.of(
                Route.open(HandlerType.GET, "/healthz", "Whether the server answers (no token needed)",
                        (ctx, token) -> Json.send(ctx, Map.of("status", "ok"))),
                Route.of(HandlerType.GET, "/v1/status", TokenScope.READ, "Taskmasters, queue, leases by status, failing destroys, reapers",
                        (ctx, token) -> Json.send(ctx, Documents.status(drydock))),
                Route.of(HandlerType.GET, "/v1/resources", TokenScope.READ, "Resources, newest first, paged by id, filtered by status, type and blueprint",
                        this::resources),
                Route.of(HandlerType.GET, "/v1/resources/{id}", TokenScope.READ, "One resource and the configuration its steps use",
                        this::resource));
    }

    private void resources(Context ctx, Optional<ApiToken> token) {
        Page page = Page.of(ctx);
        ResourceQuery query = ResourceQuery.newest(page.limit()).before(page.before());
        query = page.filter(ctx, "status", ResourceStatus.class).map(query::withStatus).orElse(query);
        query = page.filter(ctx, "type").map(query::withResourceType).orElse(query);
        query = page.filter(ctx, "blueprint").map(query::withBlueprint).orElse(query);
        Json.send(ctx, page.answer("/v1/resources", "resources", drydock.resources(query), ResourceInfo::id, Documents::resource));
    }

    private void resource(Context ctx, Optional<ApiToken> token) {
        long id = Query.pathId(ctx);
        ResourceInfo resource = drydock.resource(id).orElseThrow(() -> ApiError.notFound("there is no resource " + id).raise());
        Json.send(ctx, Documents.resource(resource, drydock.resourceConfig(id)));
    }
}
