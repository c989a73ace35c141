package dev.drydock.server.console;

import dev.drydock.api.BlueprintInfo;
import dev.drydock.api.WarmPoolInfo;
import dev.drydock.core.Drydock;
import dev.drydock.core.TokenScope;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.List;

/**
 * {@code /ui/blueprints}: every blueprint with its use against its limit and its configuration
 * (secrets as references only, as stored), its warm pools with what the planner wants and why, and
 * enable/disable for admin tokens.
 */
final class BlueprintPages {
    private final Drydock drydock;

    BlueprintPages(Drydock drydock) {
        this.drydock = drydock;
    }

    List<Page> pages() {
        return List.of(
                Page.get(Console.PREFIX + "/blueprints", (ctx, viewer) ->
                        Templates.page(ctx, "blueprints", new BlueprintList(viewer, drydock.blueprints().list(),
                                drydock.blueprints().warmPools()))),
                Page.post(Console.PREFIX + "/blueprints/{name}/enable", TokenScope.ADMIN, (ctx, viewer) -> enable(ctx, true)),
                Page.post(Console.PREFIX + "/blueprints/{name}/disable", TokenScope.ADMIN, (ctx, viewer) -> enable(ctx, false)));
    }

    /** The blueprints page's model: the blueprints, and the warm pools that expect something with the planner's verdict. */
    public record BlueprintList(Viewer viewer, List<BlueprintInfo> blueprints, List<WarmPoolInfo> warmPools) {
        /** The pools of blueprint {@code name}. */
        public List<WarmPoolInfo> poolsOf(String name) {
            return warmPools.stream().filter(p -> p.blueprint().equals(name)).toList();
        }
    }

    private void enable(Context ctx, boolean enabled) {
        String name = ctx.pathParam("name");
        if (drydock.blueprints().find(name).isEmpty()) {
            throw new Refusal(404, "There is no blueprint named '" + name + "'; the blueprints page lists them.");
        }
        drydock.blueprints().setEnabled(name, enabled);
        ctx.redirect(Console.PREFIX + "/blueprints", HttpStatus.SEE_OTHER);
    }
}
