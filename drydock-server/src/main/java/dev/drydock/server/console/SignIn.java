package dev.drydock.server.console;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpStatus;
import java.util.Optional;

/** {@code /ui/login} and {@code /ui/logout}: the only console routes open without the cookie. */
final class SignIn {
    private final Access access;

    SignIn(Access access) {
        this.access = access;
    }

    /** The sign-in page's model: the message of a refused attempt, if there was one. */
    public record LoginPage(Optional<String> problem) {}

    void register(JavalinConfig config) {
        config.routes.addHttpHandler(HandlerType.GET, Console.PREFIX + "/login",
                ctx -> Templates.page(ctx, "login", new LoginPage(Optional.empty())));
        config.routes.addHttpHandler(HandlerType.POST, Console.PREFIX + "/login", this::signIn);
        config.routes.addHttpHandler(HandlerType.POST, Console.PREFIX + "/logout", ctx -> {
            access.requireSameOrigin(ctx);
            access.signOut(ctx);
            ctx.redirect(Console.PREFIX + "/login", HttpStatus.SEE_OTHER);
        });
    }

    private void signIn(Context ctx) {
        access.requireSameOrigin(ctx);
        if (access.signIn(ctx, ctx.formParam("token")).isPresent()) {
            ctx.redirect(Console.PREFIX, HttpStatus.SEE_OTHER);
            return;
        }
        ctx.status(401);
        Templates.page(ctx, "login", new LoginPage(Optional.of("That token is not valid: it is unknown or was revoked."
                + " Paste the whole secret (ddt_ and 43 characters) that drydock-control token create printed.")));
    }
}
