package dev.drydock.server;

import dev.drydock.api.DatabaseUnavailableException;
import dev.drydock.core.ApiToken;
import dev.drydock.core.ApiTokens;
import dev.drydock.core.TokenScope;
import io.javalin.http.Context;
import java.time.InstantSource;
import java.util.Optional;

/**
 * Who calls: the valid token in {@code Authorization: Bearer ddt_…}, checked against the scope a
 * route needs. Missing, malformed, unknown and revoked tokens are all 401 with the same message, so
 * an answer never tells whether a guessed secret was ever valid. While the database cannot be
 * reached, a token it confirmed lately is still accepted ({@link RecentTokens}), so {@code /metrics}
 * can say so; any other token gets the 503 of the outage.
 */
final class Authentication {
    private final ApiTokens tokens;
    private final RecentTokens recent = new RecentTokens(InstantSource.system());

    Authentication(ApiTokens tokens) {
        this.tokens = tokens;
    }

    ApiToken require(Context ctx, TokenScope needed) {
        String header = ctx.header("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw ApiError.unauthorized("send a token as 'Authorization: Bearer ddt_…'; make one with"
                    + " drydock-control token create --name NAME --scope read|lease|admin").raise();
        }
        String secret = header.substring(7).strip();
        ApiToken token = check(secret).orElseThrow(() -> ApiError.unauthorized(
                "the token is not valid (unknown or revoked); make one with drydock-control token create").raise());
        if (!token.scope().includes(needed)) {
            throw ApiError.forbidden("token " + token.name() + " has scope " + token.scope().label() + ": this needs scope "
                    + needed.label() + (needed == TokenScope.ADMIN ? "" : " or admin")).raise();
        }
        return token;
    }

    /** The database's word on {@code secret}, or, while it cannot be reached, what it said lately ({@link RecentTokens}). */
    private Optional<ApiToken> check(String secret) {
        Optional<ApiToken> token;
        try {
            token = tokens.authenticate(secret);
        } catch (DatabaseUnavailableException down) {
            return Optional.of(recent.recall(secret).orElseThrow(() -> down));
        }
        token.ifPresentOrElse(t -> recent.confirmed(secret, t), () -> recent.forget(secret)); // a revoked token is not recalled
        return token;
    }
}
