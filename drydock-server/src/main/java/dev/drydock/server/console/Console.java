package dev.drydock.server.console;

import dev.drydock.core.Drydock;
import dev.drydock.server.LogFollower;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpStatus;
import io.javalin.http.staticfiles.Location;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The web console: HTML pages under {@code /ui} over one {@link Drydock}, served by
 * {@link dev.drydock.server.DrydockServer} beside the API. Every page but the sign-in needs the
 * console's cookie ({@link Access}) with a token of the page's scope: without one a page redirects to
 * the sign-in, with too small a scope it is a 403 page and nothing changes. Internal to the server.
 */
public final class Console {
    /** Where the console lives; nothing else of the server is under it. */
    public static final String PREFIX = "/ui";
    private final Access access;
    private final List<Page> pages;

    public Console(Drydock drydock, LogFollower follower) {
        this.access = new Access(drydock.apiTokens());
        List<Page> all = new ArrayList<>();
        all.add(Page.get(PREFIX, new OverviewPage(drydock)::show));
        all.addAll(new LeasePages(drydock).pages());
        all.addAll(new ResourcePages(drydock).pages());
        all.addAll(new BlueprintPages(drydock).pages());
        all.addAll(new LogPages(drydock, follower).pages());
        this.pages = List.copyOf(all);
    }

    /** Whether {@code path} is the console's (its errors are pages, not JSON). */
    public static boolean serves(String path) {
        return path.equals(PREFIX) || path.startsWith(PREFIX + "/");
    }

    /** Adds the console's routes, its sign-in and its static files to a server being configured. */
    public void register(JavalinConfig config) {
        config.staticFiles.add(files -> {
            files.hostedPath = PREFIX + "/static";
            files.directory = "/dev/drydock/server/console/static";
            files.location = Location.CLASSPATH;
        });
        new SignIn(access).register(config);
        for (Page page : pages) {
            config.routes.addHttpHandler(page.method(), page.path(), ctx -> handle(page, ctx));
        }
        config.routes.exception(Refusal.class, (e, ctx) -> showError(ctx, e.status(), e.getMessage()));
    }

    private void handle(Page page, Context ctx) throws Exception {
        if (page.method() == HandlerType.POST) {
            access.requireSameOrigin(ctx);
        }
        Optional<Viewer> viewer = access.viewer(ctx);
        if (viewer.isEmpty()) {
            if (page.method() == HandlerType.GET && !"fetch".equals(ctx.header("X-Drydock-Console"))) {
                ctx.redirect(PREFIX + "/login", HttpStatus.SEE_OTHER);
                return;
            }
            throw new Refusal(401, "You are not signed in, or your token was revoked: sign in again with a valid token.");
        }
        if (!viewer.get().may(page.scope())) {
            throw new Refusal(403, "Token " + viewer.get().name() + " has scope " + viewer.get().scope() + "; this needs scope "
                    + page.scope().label() + " or above, so nothing was done. Sign in with such a token"
                    + " (drydock-control token create --name NAME --scope " + page.scope().label() + ").");
        }
        page.handler().handle(ctx, viewer.get());
    }

    /** Answers with the error page: {@code message} says what was wrong and what to do. */
    public void showError(Context ctx, int status, String message) {
        ctx.status(status);
        Templates.page(ctx, "error", new ErrorPage(access.viewer(ctx), status, message));
    }

    /** The error page's model. */
    record ErrorPage(Optional<Viewer> viewer, int status, String message) {}
}
