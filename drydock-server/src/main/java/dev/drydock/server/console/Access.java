package dev.drydock.server.console;

import dev.drydock.core.ApiTokens;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.SameSite;
import java.net.URI;
import java.util.Optional;

/**
 * Signing in to the console and proving a form came from it. The cookie carries the API token's
 * secret itself, HttpOnly (no script reads it), SameSite=Strict (no other site's page sends it) and
 * Path=/ui (the JSON API never sees it, so the API stays bearer-only): nothing is kept on the
 * server, a revoked token signs its console out at once, and a restart signs nobody out. Every POST
 * must also come from a page of this server (its {@code Origin}, else its {@code Referer}, names
 * this host), which stops cross-site form posts even in a browser that ignores SameSite.
 */
final class Access {
    static final String COOKIE = "drydock_console";
    private final ApiTokens tokens;

    Access(ApiTokens tokens) {
        this.tokens = tokens;
    }

    /** The viewer whose valid token the request's cookie carries. */
    Optional<Viewer> viewer(Context ctx) {
        return tokens.authenticate(ctx.cookie(COOKIE)).map(Viewer::new);
    }

    /** Signs in with {@code secret} when it is a valid token; the same answer for unknown and revoked ones. */
    Optional<Viewer> signIn(Context ctx, String secret) {
        Optional<Viewer> viewer = tokens.authenticate(secret == null ? null : secret.strip()).map(Viewer::new);
        viewer.ifPresent(v -> ctx.cookie(cookie(ctx, secret.strip(), -1)));
        return viewer;
    }

    void signOut(Context ctx) {
        ctx.cookie(cookie(ctx, "", 0));
    }

    private static Cookie cookie(Context ctx, String value, int maxAge) {
        // Secure when the browser reached us over TLS (directly or through the documented proxy)
        boolean secure = "https".equals(ctx.scheme()) || "https".equalsIgnoreCase(ctx.header("X-Forwarded-Proto"));
        return new Cookie(COOKIE, value, Console.PREFIX, maxAge, secure, true, null, SameSite.STRICT);
    }

    /** Refuses a POST that no page of this server sent. */
    void requireSameOrigin(Context ctx) {
        String origin = ctx.header("Origin");
        String source = origin != null && !origin.equals("null") ? origin : ctx.header("Referer");
        String host = Optional.ofNullable(ctx.header("X-Forwarded-Host")).orElse(ctx.header("Host"));
        if (source == null || host == null || !host.equalsIgnoreCase(authority(source))) {
            throw new Refusal(403, "This form did not come from a page of this console, so nothing was done."
                    + " Open the console at its own address and use its buttons.");
        }
    }

    private static String authority(String url) {
        try {
            return Optional.ofNullable(URI.create(url).getRawAuthority()).orElse("");
        } catch (IllegalArgumentException e) {
            return "";
        }
    }
}
