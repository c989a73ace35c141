package dev.drydock.server;

import dev.drydock.core.ApiToken;
import dev.drydock.core.TokenScope;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.util.Optional;

/**
 * One route of the API: its method and path ({@code {name}} placeholders, as Javalin and OpenAPI both write them), the scope a
 * token needs (empty: open to anyone, for {@code /healthz} only), a one-line summary for the OpenAPI
 * document, whether it reads a request body (one sent to a route that does not is refused, so that a
 * client never believes input was taken that was ignored), and what it does.
 */
record Route(HandlerType method, String path, Optional<TokenScope> scope, String summary, boolean takesBody, Handler handler) {
    /** What a route does, for a caller whose token was checked (absent on an open route). */
    @FunctionalInterface
    interface Handler {
        void handle(Context ctx, Optional<ApiToken> token) throws Exception;
    }

    static Route open(HandlerType method, String path, String summary, Handler handler) {
        return new Route(method, path, Optional.empty(), summary, false, handler);
    }

    /** A route that takes its input from its path and query only. */
    static Route of(HandlerType method, String path, TokenScope scope, String summary, Handler handler) {
        return new Route(method, path, Optional.of(scope), summary, false, handler);
    }

    /** A route that reads a request body. */
    static Route withBody(HandlerType method, String path, TokenScope scope, String summary, Handler handler) {
        return new Route(method, path, Optional.of(scope), summary, true, handler);
    }
}
