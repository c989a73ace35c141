package dev.drydock.core;

import dev.drydock.api.DrydockException;

/** An API token tried what its scope does not include. Nothing was changed. Never carries the token's secret. */
public final class TokenScopeException extends DrydockException {
    private static final long serialVersionUID = 1L;
    private final TokenScope needed;

    public TokenScopeException(ApiToken token, TokenScope needed, String what) {
        super("token " + token.name() + " has scope " + token.scope().label() + ": to " + what + " it needs scope " + needed.label()
                + (needed == TokenScope.ADMIN ? "" : " or admin"));
        this.needed = needed;
    }

    /** The scope the action needs. */
    public TokenScope needed() {
        return needed;
    }
}
