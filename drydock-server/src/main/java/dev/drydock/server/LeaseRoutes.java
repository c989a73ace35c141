package dev.drydock.server;

import dev.drydock.api.InvalidRequestException;
import dev.drydock.api.Lease;
import dev.drydock.api.LeaseInfo;
import dev.drydock.api.LeaseNotFoundException;
import dev.drydock.api.LeaseRequest;
import dev.drydock.api.LeaseStatus;
import dev.drydock.core.ApiToken;
import dev.drydock.core.Drydock;
import dev.drydock.core.LeaseQuery;
import dev.drydock.core.TokenScope;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code /v1/leases}: acquire (answers at once with the PENDING lease), read with a long-poll
 * ({@code ?wait=30s}: answers as soon as the status differs from {@code seen}, the status the
 * client last saw, or when the wait is over), why, release, and a newest-first list paged by id.
 */
final class LeaseRoutes {
    /** The longest a long-poll holds a request: proxies commonly cut idle requests at 60 s. */
    static final Duration MAX_WAIT = Duration.ofSeconds(55);
    static final Set<String> ACQUIRE_FIELDS = Set.of("type", "attributes", "blueprints", "ttl", "deadline");
    /** The Java API's names of a request's fields, as this API's body names them. */
    private static final Map<String, String> REQUEST_FIELDS = Map.of("resourceType", "type", "allowedBlueprints", "blueprints",
            "acquireDeadline", "deadline");
    private final Drydock drydock;

    LeaseRoutes(Drydock drydock) {
        this.drydock = drydock;
    }

    List<Route> routes() {
        return List.of(
                Route.withBody(HandlerType.POST, "/v1/leases", TokenScope.LEASE, "Request a lease; answers at once with it, PENDING",
                        this::acquire),
                Route.of(HandlerType.GET, "/v1/leases", TokenScope.READ, "Leases, newest first, paged by id, filtered by status, type and blueprint", this::list),
                Route.of(HandlerType.GET, "/v1/leases/{id}", TokenScope.READ, "One lease; with ?wait=, once its status changes",
                        this::get),
                Route.of(HandlerType.GET, "/v1/leases/{id}/why", TokenScope.READ, "Why a lease is where it is, link by link", this::why),
                Route.of(HandlerType.POST, "/v1/leases/{id}/release", TokenScope.LEASE,
                        "Release a lease: its holder token or an admin token", this::release));
    }

    private void acquire(Context ctx, Optional<ApiToken> token) {
        Body body = Body.parse(ctx.body(), ACQUIRE_FIELDS);
        Lease lease;
        try {
            lease = drydock.apiTokens().acquire(request(body), token.orElseThrow());
        } catch (InvalidRequestException e) {
            throw ApiError.badField(REQUEST_FIELDS.getOrDefault(e.field(), e.field()), e.getMessage()).raise();
        }
        Json.send(ctx.status(201).header("Location", "/v1/leases/" + lease.id()), Documents.lease(lease.info()));
    }

    /** A lease request as a body ({@code LeaseRequest} in openapi.json) says it, checked as the Java API checks it. */
    static LeaseRequest request(Body body) {
        LeaseRequest.Builder request = LeaseRequest.builder(body.requiredText("type"));
        body.textMap("attributes").forEach(request::attribute);
        body.textList("blueprints").forEach(request::blueprint);
        body.duration("ttl").ifPresent(request::ttl);
        body.duration("deadline").ifPresent(request::acquireDeadline);
        return request.build();
    }

    /** The body's name of a request field the Java API names {@code field}. */
    static String requestField(String field) {
        return REQUEST_FIELDS.getOrDefault(field, field);
    }

    private void list(Context ctx, Optional<ApiToken> token) {
        Page page = Page.of(ctx);
        LeaseQuery query = LeaseQuery.newest(page.limit()).before(page.before());
        query = page.filter(ctx, "status", LeaseStatus.class).map(query::withStatus).orElse(query);
        query = page.filter(ctx, "type").map(query::withResourceType).orElse(query);
        query = page.filter(ctx, "blueprint").map(query::withBlueprint).orElse(query);
        Json.send(ctx, page.answer("/v1/leases", "leases", drydock.leases(query), LeaseInfo::id, Documents::lease));
    }

    private void get(Context ctx, Optional<ApiToken> token) {
        long id = Query.pathId(ctx);
        String wait = ctx.queryParam("wait");
        if (wait == null) {
            Json.send(ctx, Documents.lease(find(id)));
            return;
        }
        Duration max = Body.durationOf("wait", wait);
        if (max.isNegative() || max.compareTo(MAX_WAIT) > 0) {
            throw ApiError.badField("wait", "'wait' must be 0s to " + MAX_WAIT.toSeconds() + "s, was " + wait).raise();
        }
        LeaseStatus seen = Query.enumValue(ctx, "seen", LeaseStatus.class).orElseGet(() -> find(id).status());
        Json.send(ctx, Documents.lease(drydock.awaitLeaseChange(id, seen, max)));
    }

    private void why(Context ctx, Optional<ApiToken> token) {
        long id = Query.pathId(ctx);
        Json.send(ctx, Documents.why(find(id), drydock.waitChain(id)));
    }

    private void release(Context ctx, Optional<ApiToken> token) {
        long id = Query.pathId(ctx);
        drydock.apiTokens().release(id, token.orElseThrow());
        Json.send(ctx.status(202), Documents.lease(find(id)));
    }

    private LeaseInfo find(long id) {
        return drydock.allocator().find(id).orElseThrow(() -> new LeaseNotFoundException(id));
    }
}
