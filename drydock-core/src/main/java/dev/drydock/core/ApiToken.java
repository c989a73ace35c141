package dev.drydock.core;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * An HTTP API token as stored: never its secret, which exists only in the answer to
 * {@link ApiTokens#create}.
 *
 * @param revokedAt when it was revoked; empty while it is valid
 */
public record ApiToken(long id, String name, TokenScope scope, Instant createdAt, Optional<Instant> revokedAt) {
    public ApiToken {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(revokedAt, "revokedAt");
    }

    /** Who acted, as the lease history and logs name a token: {@code token NAME}. */
    public String actor() {
        return "token " + name;
    }
}
