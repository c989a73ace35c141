package dev.drydock.server;

import dev.drydock.core.ApiToken;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Tokens the database confirmed lately, for when it cannot be reached: so that Prometheus's scrape
 * still gets {@code drydock_up 0} rather than a 503 during an outage. Only a token confirmed within
 * {@link #KEPT} is recalled, and at most {@link #MOST} of them are kept (the least recently
 * confirmed go first). Holds each secret's SHA-256, never the secret. A token refused once is
 * forgotten; one revoked and not presented again before an outage is accepted until its
 * {@link #KEPT} runs out, and every route but {@code /metrics} needs the database anyway and
 * answers 503. Thread-safe.
 */
final class RecentTokens {
    static final Duration KEPT = Duration.ofMinutes(10);
    static final int MOST = 100;
    private final InstantSource clock;
    private final Map<String, Confirmed> confirmed = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Confirmed> eldest) {
            return size() > MOST;
        }
    };

    private record Confirmed(ApiToken token, Instant at) {}

    RecentTokens(InstantSource clock) {
        this.clock = clock;
    }

    synchronized void confirmed(String secret, ApiToken token) {
        confirmed.put(hash(secret), new Confirmed(token, clock.instant()));
    }

    /** The database says {@code secret} is no token (any more). */
    synchronized void forget(String secret) {
        confirmed.remove(hash(secret));
    }

    /** The token {@code secret} was when the database last confirmed it, if that was within {@link #KEPT}. */
    synchronized Optional<ApiToken> recall(String secret) {
        Confirmed c = confirmed.get(hash(secret));
        return c != null && c.at().plus(KEPT).isAfter(clock.instant()) ? Optional.of(c.token()) : Optional.empty();
    }

    private static String hash(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
