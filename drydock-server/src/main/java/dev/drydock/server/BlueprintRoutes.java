package dev.drydock.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drydock.api.BlueprintInfo;
import dev.drydock.core.DurationText;
import java.time.Duration;
import dev.drydock.core.ApiToken;
import dev.drydock.core.Drydock;
import dev.drydock.core.TokenScope;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code /v1/blueprints}: read by any token, with secrets shown as references only; created,
 * updated, enabled and disabled by admin tokens. A configuration is checked by its blueprint type
 * before anything is stored, and refused with the field that is wrong.
 */
final class BlueprintRoutes {
    private static final Set<String> CREATE_FIELDS = Set.of("name", "type", "config", "limit", "placement");
    private static final Set<String> UPDATE_FIELDS = Set.of("config", "limit", "enabled", "placement");
    private static final Set<String> WARM_POOL_FIELDS = Set.of("minReady", "maxReadyAge", "attributes");
    private final Drydock drydock;

    BlueprintRoutes(Drydock drydock) {
        this.drydock = drydock;
    }

    List<Route> routes() {
        return List.of(
                Route.of(HandlerType.GET, "/v1/blueprints", TokenScope.READ, "The blueprints, secrets as references only",
                        (ctx, token) -> Json.send(ctx, Map.of("blueprints", drydock.blueprints().list().stream().map(Documents::blueprint).toList()))),
                Route.of(HandlerType.GET, "/v1/blueprints/{name}", TokenScope.READ, "One blueprint",
                        (ctx, token) -> Json.send(ctx, Documents.blueprint(find(ctx)))),
                Route.withBody(HandlerType.POST, "/v1/blueprints", TokenScope.ADMIN, "Create a blueprint", this::create),
                Route.withBody(HandlerType.PUT, "/v1/blueprints/{name}", TokenScope.ADMIN,
                        "Change a blueprint's configuration, limit, enabled or placement",
                        this::update),
                Route.of(HandlerType.POST, "/v1/blueprints/{name}/enable", TokenScope.ADMIN, "Let a blueprint build resources again",
                        (ctx, token) -> Json.send(ctx, Documents.blueprint(drydock.blueprints().setEnabled(find(ctx).name(), true)))),
                Route.of(HandlerType.POST, "/v1/blueprints/{name}/disable", TokenScope.ADMIN,
                        "Stop a blueprint building resources; existing ones carry on",
                        (ctx, token) -> Json.send(ctx, Documents.blueprint(drydock.blueprints().setEnabled(find(ctx).name(), false)))),
                Route.of(HandlerType.GET, "/v1/blueprints/{name}/warm-pools", TokenScope.READ,
                        "A blueprint's warm pools and what the planner last said of each",
                        (ctx, token) -> Json.send(ctx, Map.of("warmPools",
                                drydock.blueprints().warmPools(find(ctx).name()).stream().map(Documents::warmPool).toList()))),
                Route.withBody(HandlerType.PUT, "/v1/blueprints/{name}/warm-pools", TokenScope.ADMIN,
                        "Set a warm pool of a blueprint: idle, ready resources to keep", this::setWarmPool));
    }

    private void setWarmPool(Context ctx, Optional<ApiToken> token) {
        String name = find(ctx).name();
        Body body = Body.parse(ctx.body(), WARM_POOL_FIELDS);
        int minReady = body.integer("minReady")
                .orElseThrow(() -> ApiError.badField("minReady", "'minReady' is required: how many idle, ready resources to keep").raise());
        Optional<Duration> maxReadyAge = body.text("maxReadyAge").map(text -> {
            try {
                return DurationText.parse(text);
            } catch (IllegalArgumentException e) {
                throw ApiError.badField("maxReadyAge", "'maxReadyAge': " + e.getMessage()).raise();
            }
        });
        Json.send(ctx, Documents.warmPool(drydock.blueprints().setWarmPool(name, body.textMap("attributes"), minReady, maxReadyAge)));
    }

    private void create(Context ctx, Optional<ApiToken> token) {
        Body body = Body.parse(ctx.body(), CREATE_FIELDS);
        BlueprintInfo created = drydock.blueprints().create(body.requiredText("name"), body.requiredText("type"),
                body.requiredObject("config").toString(), body.integer("limit").orElse(1), body.text("placement").orElse("binpack"));
        Json.send(ctx.status(201).header("Location", "/v1/blueprints/" + created.name()), Documents.blueprint(created));
    }

    private void update(Context ctx, Optional<ApiToken> token) {
        String name = find(ctx).name();
        Body body = Body.parse(ctx.body(), UPDATE_FIELDS);
        Optional<String> config = body.object("config").map(JsonNode::toString);
        Json.send(ctx, Documents.blueprint(drydock.blueprints().update(name, config, body.integer("limit"), body.bool("enabled"),
                body.text("placement"))));
    }

    private BlueprintInfo find(Context ctx) {
        String name = ctx.pathParam("name");
        return drydock.blueprints().find(name).orElseThrow(() -> ApiError.notFound("there is no blueprint named '" + name + "'").raise());
    }
}
