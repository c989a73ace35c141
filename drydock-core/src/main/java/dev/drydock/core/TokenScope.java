package dev.drydock.core;

import java.util.Locale;
import java.util.Optional;

/**
 * What an API token may do; each scope includes the ones before it. {@link #READ}: look at
 * everything (leases, resources, blueprints with secrets as references only, logs, status).
 * {@link #LEASE}: also acquire leases and use and release the ones it acquired. {@link #ADMIN}:
 * also act on any lease and administer blueprints.
 */
public enum TokenScope {
    READ, LEASE, ADMIN;

    /** Whether a token of this scope may do what {@code needed} allows. */
    public boolean includes(TokenScope needed) {
        return compareTo(needed) >= 0;
    }

    /** The scope's name as the CLI, the API and the database write it: {@code read}, {@code lease}, {@code admin}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The scope {@code label} names; empty for anything else. */
    public static Optional<TokenScope> parse(String label) {
        for (TokenScope s : values()) {
            if (s.label().equals(label)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
