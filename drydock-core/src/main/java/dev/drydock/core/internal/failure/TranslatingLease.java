package dev.drydock.core.internal.failure;

import dev.drydock.api.Lease;
import dev.drydock.api.LeaseInfo;
import dev.drydock.api.ResourceInterface;
import java.time.Duration;
import java.util.Objects;

/**
 * A holder's {@link Lease} as the public API hands it out: every call of the handle underneath,
 * with a database failure translated (see {@link DatabaseFailures}), so a holder only ever catches
 * Drydock's exceptions. Thread-safe as the handle is.
 */
public final class TranslatingLease implements Lease {
    private final Lease handle;
    private final DatabaseFailures failures;

    public TranslatingLease(Lease handle, DatabaseFailures failures) {
        this.handle = Objects.requireNonNull(handle, "handle");
        this.failures = Objects.requireNonNull(failures, "failures");
    }

    @Override
    public long id() {
        return handle.id();
    }

    @Override
    public String ownerToken() {
        return handle.ownerToken();
    }

    @Override
    public LeaseInfo info() {
        return failures.call("read lease " + id(), handle::info);
    }

    @Override
    public Lease await(Duration timeout) {
        failures.call("wait for lease " + id(), () -> handle.await(timeout));
        return this;
    }

    @Override
    public LeaseInfo awaitEnded(Duration timeout) {
        return failures.call("wait for lease " + id() + " to be cleaned up", () -> handle.awaitEnded(timeout));
    }

    @Override
    public <T extends ResourceInterface> T interfaceOf(Class<T> type) {
        return failures.call("open an interface on lease " + id(), () -> handle.interfaceOf(type));
    }

    @Override
    public void release() {
        failures.run("release lease " + id(), handle::release);
    }

    @Override
    public String toString() {
        return handle.toString(); // never the owner token
    }
}
