package dev.drydock.server;

import dev.drydock.core.ApiToken;
import dev.drydock.core.ApiTokens;
import dev.drydock.core.TokenScope;
import io.javalin.http.Context;

/**
 * Who calls: the valid token in {@code Authorization: Bearer ddt_…}, checked against the scope a
 * route needs. Missing, malformed, unknown and revoked tokens are all 401 with the same message, so
 * an answer never tells whether a guessed secret was ever valid.
 */
final class Authentication {
    private final ApiTokens tokens;

    Authentication(ApiTokens tokens) {
        this.tokens = tokens;
    }

    ApiToken require(Context ctx, TokenScope needed) {
        String header = ctx.header("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw ApiError.unauthorized("send a token as 'Authorization: Bearer ddt_…'; make one with"
                    + " drydock-control token create --name NAME --scope read|lease|admin").raise();
        }
        ApiToken token = tokens.authenticate(header.substring(7).strip()).orElseThrow(() -> ApiError.unauthorized(
                "the token is not valid (unknown or revoked); make one with drydock-control token create").raise());
        if (!token.scope().includes(needed)) {
            throw ApiError.forbidden("token " + token.name() + " has scope " + token.scope().label() + ": this needs scope "
                    + needed.label() + (needed == TokenScope.ADMIN ? "" : " or admin")).raise();
        }
        return token;
    }
}
