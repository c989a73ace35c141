package dev.drydock.server.console;

import dev.drydock.core.TokenScope;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;

/**
 * One console route: its method and path, the scope the signed-in token needs, and what it does.
 * Console routes are not API routes: they answer HTML (or a fragment or event stream for the page's
 * script), authenticate by the console's cookie, and are not in the OpenAPI document.
 */
record Page(HandlerType method, String path, TokenScope scope, Handler handler) {
    @FunctionalInterface
    interface Handler {
        void handle(Context ctx, Viewer viewer) throws Exception;
    }

    static Page get(String path, Handler handler) {
        return new Page(HandlerType.GET, path, TokenScope.READ, handler);
    }

    static Page post(String path, TokenScope scope, Handler handler) {
        return new Page(HandlerType.POST, path, scope, handler);
    }
}
