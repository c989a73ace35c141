package dev.drydock.cli;

import dev.drydock.api.InvalidRequestException;
import dev.drydock.api.LeaseInfo;
import dev.drydock.api.LeaseNotFoundException;
import dev.drydock.api.NotLeaseHolderException;
import dev.drydock.api.ResourceInterface;
import dev.drydock.core.Drydock;
import java.util.Objects;

/**
 * Acts on a lease as its holder, with the owner token this user kept when acquiring it
 * ({@link OwnerTokens}), or, when asked explicitly ({@code --operator}), as an operator whose OS
 * user is recorded on the lease. Someone who neither holds the lease nor asked to act as an operator
 * is refused with a {@link NotLeaseHolderException} before anything is done.
 */
public final class HeldLeases {
    private final Drydock drydock;
    private final OwnerTokens tokens;

    public HeldLeases(Drydock drydock, OwnerTokens tokens) {
        this.drydock = Objects.requireNonNull(drydock, "drydock");
        this.tokens = Objects.requireNonNull(tokens, "tokens");
    }

    public OwnerTokens tokens() {
        return tokens;
    }

    /** The lease as it is now; a lease that has ended loses its kept token. */
    public LeaseInfo info(long id) {
        LeaseInfo info = drydock.allocator().find(id).orElseThrow(() -> new LeaseNotFoundException(id));
        if (info.status().isDone()) {
            tokens.forget(id);
        }
        return info;
    }

    public <T extends ResourceInterface> T interfaceOf(long id, Class<T> type, boolean asOperator) {
        LeaseInfo info = info(id); // a missing or ended lease is told as such, not as someone else's
        if (info.status().isDone()) {
            throw new InvalidRequestException("lease", "lease " + id + " is " + info.status() + ", not ACTIVE: " + info.statusReason());
        }
        if (asOperator) {
            return drydock.interfaceOf(id, type, OsUser.describe());
        }
        String token = token(id);
        try {
            return drydock.allocator().attach(id, token).interfaceOf(type);
        } catch (NotLeaseHolderException e) {
            throw refused(id, "the owner token kept for it does not match");
        }
    }

    /** Makes sure this user may release the lease, before any lease of a command is released. */
    public void requireMayRelease(long id, boolean asOperator) {
        if (!asOperator) {
            token(id);
        }
    }

    public void release(long id, boolean asOperator) {
        if (asOperator) {
            drydock.releaseLease(id, OsUser.describe());
        } else {
            try {
                drydock.allocator().attach(id, token(id)).release();
            } catch (NotLeaseHolderException e) {
                throw refused(id, "the owner token kept for it does not match");
            }
        }
        tokens.forget(id);
    }

    private String token(long id) {
        return tokens.find(id).orElseThrow(() -> refused(id, "you did not acquire it as " + OsUser.describe()
                + " with DRYDOCK_HOME " + tokens.home()));
    }

    private static NotLeaseHolderException refused(long id, String why) {
        return new NotLeaseHolderException(id, "lease " + id + " is not held by you (" + why
                + "): only its holder or an operator (--operator, recorded on the lease) may act on it");
    }
}
