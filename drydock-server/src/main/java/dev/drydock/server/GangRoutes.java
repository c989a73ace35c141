package dev.drydock.server;

import dev.drydock.api.Gang;
import dev.drydock.api.GangInfo;
import dev.drydock.api.GangNotFoundException;
import dev.drydock.api.GangStatus;
import dev.drydock.api.InvalidRequestException;
import dev.drydock.api.LeaseRequest;
import dev.drydock.core.ApiToken;
import dev.drydock.core.Drydock;
import dev.drydock.core.TokenScope;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code /v1/gangs} (docs/planner.md): request leases that become active together or not at
 * all (answers at once, the gang WAITING), read a gang with a long-poll ({@code ?wait=30s}: answers
 * when its status differs from {@code seen}), and release all its members. Token rules as for
 * leases: the token that requested the gang, or an admin token, may release it.
 */
final class GangRoutes {
    private static final Set<String> FIELDS = Set.of("members");
    /** How often a long-poll reads the gang again: gangs change rarely, and each read is two small statements. */
    private static final Duration POLL = Duration.ofMillis(200);
    private final Drydock drydock;

    GangRoutes(Drydock drydock) {
        this.drydock = drydock;
    }

    List<Route> routes() {
        return List.of(
                Route.withBody(HandlerType.POST, "/v1/gangs", TokenScope.LEASE,
                        "Request leases that become active together or not at all; answers at once with the gang, WAITING", this::acquire),
                Route.of(HandlerType.GET, "/v1/gangs/{id}", TokenScope.READ, "One gang and its members; with ?wait=, once its status changes",
                        this::get),
                Route.of(HandlerType.POST, "/v1/gangs/{id}/release", TokenScope.LEASE,
                        "Release every member of a gang: its holder token or an admin token", this::release));
    }

    private void acquire(Context ctx, Optional<ApiToken> token) {
        List<Body> bodies = Body.parse(ctx.body(), FIELDS).objects("members", LeaseRoutes.ACQUIRE_FIELDS);
        List<LeaseRequest> members = new ArrayList<>();
        for (int i = 0; i < bodies.size(); i++) {
            try {
                members.add(LeaseRoutes.request(bodies.get(i)));
            } catch (InvalidRequestException e) {
                throw ApiError.badField("members[" + i + "]." + LeaseRoutes.requestField(e.field()), e.getMessage()).raise();
            } catch (ApiError.Raised e) {
                String field = "members[" + i + "]" + e.error().field().map(f -> "." + f).orElse("");
                throw ApiError.badField(field, field + ": " + e.getMessage()).raise();
            }
        }
        Gang gang;
        try {
            gang = drydock.apiTokens().acquireAll(members, token.orElseThrow());
        } catch (InvalidRequestException e) {
            // a member refused as acquire would refuse it: "members[i].resourceType", in this API's names
            int dot = e.field().lastIndexOf('.');
            String field = dot < 0 ? e.field() : e.field().substring(0, dot + 1) + LeaseRoutes.requestField(e.field().substring(dot + 1));
            throw ApiError.badField(field, e.getMessage()).raise();
        }
        Json.send(ctx.status(201).header("Location", "/v1/gangs/" + gang.id()), document(gang.info()));
    }

    private void get(Context ctx, Optional<ApiToken> token) {
        long id = Query.pathId(ctx);
        String wait = ctx.queryParam("wait");
        if (wait == null) {
            Json.send(ctx, document(find(id)));
            return;
        }
        Duration max = Body.durationOf("wait", wait);
        if (max.isNegative() || max.compareTo(LeaseRoutes.MAX_WAIT) > 0) {
            throw ApiError.badField("wait", "'wait' must be 0s to " + LeaseRoutes.MAX_WAIT.toSeconds() + "s, was " + wait).raise();
        }
        GangInfo now = find(id);
        GangStatus seen = Query.enumValue(ctx, "seen", GangStatus.class).orElse(now.status());
        long until = System.nanoTime() + max.toNanos();
        while (now.status() == seen && System.nanoTime() < until) {
            try {
                Thread.sleep(Math.min(POLL.toMillis(), Math.max(1, (until - System.nanoTime()) / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            now = find(id);
        }
        Json.send(ctx, document(now));
    }

    private void release(Context ctx, Optional<ApiToken> token) {
        long id = Query.pathId(ctx);
        drydock.apiTokens().releaseGang(id, token.orElseThrow());
        Json.send(ctx.status(202), document(find(id)));
    }

    private GangInfo find(long id) {
        return drydock.gang(id).orElseThrow(() -> new GangNotFoundException(id));
    }

    /** The {@code Gang} document of openapi.json. */
    static Map<String, Object> document(GangInfo g) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", g.id());
        m.put("status", g.status().name());
        m.put("statusReason", g.statusReason());
        m.put("acquireDeadline", g.acquireDeadline().toString());
        m.put("createdAt", g.createdAt().toString());
        m.put("members", g.members().stream().map(Documents::lease).toList());
        return m;
    }
}
