package dev.drydock.server.console;

import dev.drydock.core.ApiToken;
import dev.drydock.core.TokenScope;
import java.util.Objects;

/** Who looks at the console: the valid API token its cookie carries, never its secret. */
record Viewer(ApiToken token) {
    public Viewer {
        Objects.requireNonNull(token, "token");
    }

    public boolean may(TokenScope scope) {
        return token.scope().includes(scope);
    }

    public boolean isAdmin() {
        return token.scope() == TokenScope.ADMIN;
    }

    public String name() {
        return token.name();
    }

    public String scope() {
        return token.scope().label();
    }
}
