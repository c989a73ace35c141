package dev.drydock.core;

import dev.drydock.api.Gang;
import dev.drydock.api.GangInfo;
import dev.drydock.api.GangNotFoundException;
import dev.drydock.api.InvalidRequestException;
import dev.drydock.api.Lease;
import dev.drydock.api.LeaseInfo;
import dev.drydock.api.LeaseNotFoundException;
import dev.drydock.api.LeaseRequest;
import dev.drydock.api.NotLeaseHolderException;
import dev.drydock.api.ResourceInterface;
import dev.drydock.core.internal.failure.DatabaseFailures;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Jdbi;

/**
 * The HTTP API's bearer tokens, and the leases each acquired. A token's secret
 * ({@code ddt_} and 43 characters) is returned once by {@link #create} and kept nowhere: the
 * database holds its SHA-256. A lease acquired through {@link #acquire} is used and released only
 * through that token or an admin token ({@link #interfaceOf}, {@link #release}); a read token acts
 * on no lease. Thread-safe.
 */
public final class ApiTokens {
    /** What every secret starts with, so one found in a log or a repository is recognised as ours. */
    public static final String PREFIX = "ddt_";
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,62}");
    private static final Pattern SECRET = Pattern.compile(Pattern.quote(PREFIX) + "[A-Za-z0-9_-]{43}");
    private static final SecureRandom RANDOM = new SecureRandom();
    private final Jdbi jdbi;
    private final Drydock drydock;
    private final DatabaseFailures failures;

    ApiTokens(Jdbi jdbi, Drydock drydock, DatabaseFailures failures) {
        this.jdbi = jdbi;
        this.drydock = drydock;
        this.failures = failures;
    }

    /** A token just made, with its secret: show it once, it cannot be read again. */
    public record Created(ApiToken token, String secret) {
        @Override
        public String toString() {
            return "Created[" + token + ", secret=(hidden)]"; // a logged record never carries the secret
        }
    }

    /**
     * Makes a token.
     *
     * @throws InvalidRequestException the name is not lower-case letters, digits and '-' starting
     *         with a letter, or a valid token already has it; nothing is stored
     */
    public Created create(String name, TokenScope scope) {
        Objects.requireNonNull(scope, "scope");
        if (name == null || !NAME.matcher(name).matches()) {
            throw new InvalidRequestException("name", "must be lower-case letters, digits and '-', starting with a letter, was '" + name + "'");
        }
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        String secret = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        return failures.call("create token " + name, () -> jdbi.inTransaction(h -> {
            if (h.createQuery("SELECT count(*) FROM dd_api_token WHERE name = :name AND revoked_at IS NULL").bind("name", name)
                    .mapTo(Long.class).one() > 0) {
                throw new InvalidRequestException("name", "a token named '" + name + "' exists; revoke it first or choose another name");
            }
            ApiToken token = h.createQuery("""
                            INSERT INTO dd_api_token (name, scope, secret_sha256) VALUES (:name, :scope, :hash)
                            RETURNING id, name, scope, created_at, revoked_at""")
                    .bind("name", name).bind("scope", scope.label()).bind("hash", sha256(secret))
                    .map((rs, ctx) -> token(rs)).one();
            return new Created(token, secret);
        }));
    }

    /** Every token, valid and revoked, oldest first. */
    public List<ApiToken> list() {
        return failures.call("list tokens", () -> jdbi.withHandle(h -> h.createQuery(
                "SELECT id, name, scope, created_at, revoked_at FROM dd_api_token ORDER BY id").map((rs, ctx) -> token(rs)).list()));
    }

    /** Revokes the valid token named {@code name}; false when there is none. Its leases stay, usable by admin tokens. */
    public boolean revoke(String name) {
        if (!NAME.matcher(name).matches()) {
            return false; // never created, and the database refuses some such text (a NUL) as a parameter
        }
        return failures.call("revoke token " + name, () -> jdbi.withHandle(h -> h.createUpdate(
                "UPDATE dd_api_token SET revoked_at = now() WHERE name = :name AND revoked_at IS NULL").bind("name", name).execute() > 0));
    }

    /** The valid token whose secret is {@code secret}; empty for anything else, revoked tokens included. */
    public Optional<ApiToken> authenticate(String secret) {
        if (secret == null || !SECRET.matcher(secret).matches()) {
            return Optional.empty();
        }
        return failures.call("check a token", () -> jdbi.withHandle(h -> h.createQuery("""
                        SELECT id, name, scope, created_at, revoked_at FROM dd_api_token
                        WHERE secret_sha256 = :hash AND revoked_at IS NULL""")
                .bind("hash", sha256(secret)).map((rs, ctx) -> token(rs)).findOne()));
    }

    /**
     * Requests a lease held by {@code token}. The lease and its holder are stored one after the
     * other; if storing the holder fails, the lease is released at once, so no lease is left that
     * only an admin could end.
     *
     * @throws TokenScopeException the token may only read
     */
    public Lease acquire(LeaseRequest request, ApiToken token) {
        if (!token.scope().includes(TokenScope.LEASE)) {
            throw new TokenScopeException(token, TokenScope.LEASE, "acquire a lease");
        }
        Lease lease = drydock.allocator().acquire(request);
        recordHolder("lease " + lease.id(), lease::release, () -> jdbi.useHandle(h -> h.createUpdate(
                "INSERT INTO dd_api_lease (lease_id, token_id) VALUES (:lease, :token)").bind("lease", lease.id()).bind("token", token.id())
                .execute()));
        return lease;
    }

    /** Stores who holds what was just acquired; if that fails, {@code release} ends it at once, so nothing is left only an admin could end. */
    private void recordHolder(String what, Runnable release, Runnable store) {
        try {
            failures.run("record the holder of " + what, store);
        } catch (RuntimeException e) {
            try {
                release.run();
            } catch (RuntimeException releaseFailed) {
                e.addSuppressed(releaseFailed);
            }
            throw e;
        }
    }

    /**
     * Requests a gang held by {@code token} ({@link dev.drydock.api.Allocator#acquireAll}): each member
     * is held by the token as a lease acquired with it is. If storing the holders fails, the gang is
     * released at once.
     *
     * @throws TokenScopeException the token may only read
     */
    public Gang acquireAll(List<LeaseRequest> members, ApiToken token) {
        if (!token.scope().includes(TokenScope.LEASE)) {
            throw new TokenScopeException(token, TokenScope.LEASE, "acquire a gang of leases");
        }
        Gang gang = drydock.allocator().acquireAll(members);
        recordHolder("gang " + gang.id(), gang::release, () -> jdbi.useHandle(h -> h.createUpdate(
                "INSERT INTO dd_api_lease (lease_id, token_id) SELECT id, :token FROM dd_lease WHERE gang_id = :gang")
                .bind("gang", gang.id()).bind("token", token.id()).execute()));
        return gang;
    }

    /**
     * Releases every member of gang {@code gangId}, each as {@link #release} does (its holder token,
     * or an admin token); before the gang is active, that breaks it. Idempotent.
     *
     * @throws GangNotFoundException there is no such gang
     * @throws NotLeaseHolderException the token did not acquire the gang and is no admin token; nothing was released
     */
    public void releaseGang(long gangId, ApiToken token) {
        GangInfo gang = drydock.gang(gangId).orElseThrow(() -> new GangNotFoundException(gangId));
        for (LeaseInfo member : gang.members()) {
            if (!holds(holding(member.id()), token) && token.scope() != TokenScope.ADMIN) {
                throw notHolder(member.id(), token);
            }
        }
        for (LeaseInfo member : gang.members()) {
            release(member.id(), token);
        }
    }

    /**
     * An interface on lease {@code leaseId}'s resource for {@code token}: as its holder when the
     * token acquired it, else as an operator named after the admin token (the lease's log says
     * "opened by operator token NAME").
     *
     * @throws LeaseNotFoundException  there is no such lease
     * @throws NotLeaseHolderException the token did not acquire it and is no admin token
     */
    public <T extends ResourceInterface> T interfaceOf(long leaseId, Class<T> type, ApiToken token) {
        Holding holding = holding(leaseId);
        if (holds(holding, token)) {
            return drydock.allocator().attach(leaseId, holding.ownerToken()).interfaceOf(type);
        }
        if (token.scope() == TokenScope.ADMIN) {
            return drydock.interfaceOf(leaseId, type, token.actor());
        }
        throw notHolder(leaseId, token);
    }

    /**
     * Releases lease {@code leaseId}: as its holder when {@code token} acquired it, else as an
     * operator named after the admin token ("released by operator token NAME"). Idempotent.
     *
     * @throws LeaseNotFoundException  there is no such lease
     * @throws NotLeaseHolderException the token did not acquire it and is no admin token
     */
    public void release(long leaseId, ApiToken token) {
        Holding holding = holding(leaseId);
        if (holds(holding, token)) {
            drydock.allocator().attach(leaseId, holding.ownerToken()).release();
        } else if (token.scope() == TokenScope.ADMIN) {
            drydock.releaseLease(leaseId, token.actor());
        } else {
            throw notHolder(leaseId, token);
        }
    }

    /** The token that acquired {@code leaseId} over HTTP; empty for a lease acquired otherwise, or none. */
    public Optional<Long> holderOf(long leaseId) {
        return failures.call("read the holder of lease " + leaseId, () -> jdbi.withHandle(h -> h.createQuery(
                "SELECT token_id FROM dd_api_lease WHERE lease_id = :id").bind("id", leaseId).mapTo(Long.class).findOne()));
    }

    private record Holding(String ownerToken, Optional<Long> holder) {}

    private Holding holding(long leaseId) {
        return failures.call("read lease " + leaseId, () -> jdbi.withHandle(h -> h.createQuery("""
                        SELECT l.owner_token, a.token_id FROM dd_lease l LEFT JOIN dd_api_lease a ON a.lease_id = l.id WHERE l.id = :id""")
                .bind("id", leaseId)
                .map((rs, ctx) -> new Holding(rs.getString(1), Optional.ofNullable((Long) rs.getObject(2))))
                .findOne())).orElseThrow(() -> new LeaseNotFoundException(leaseId));
    }

    private static boolean holds(Holding holding, ApiToken token) {
        return token.scope().includes(TokenScope.LEASE) && holding.holder().isPresent() && holding.holder().get() == token.id();
    }

    private static NotLeaseHolderException notHolder(long leaseId, ApiToken token) {
        return new NotLeaseHolderException(leaseId, "lease " + leaseId + " was not acquired with token " + token.name()
                + ": only the token that acquired it, or an admin token, may use or release it");
    }

    private static ApiToken token(ResultSet rs) throws SQLException {
        return new ApiToken(rs.getLong("id"), rs.getString("name"), TokenScope.parse(rs.getString("scope")).orElseThrow(),
                rs.getTimestamp("created_at").toInstant(),
                Optional.ofNullable(rs.getTimestamp("revoked_at")).map(java.sql.Timestamp::toInstant));
    }

    private static byte[] sha256(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
