package dev.drydock.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drydock.api.BlueprintInfo;
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
                        (ctx, token) -> Json.send(ctx, Documents.blueprint(drydock.blueprints().setEnabled(find(ctx).name(), false)))));
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
