package dev.drydock.core.internal.lease;

import dev.drydock.api.Gang;
import dev.drydock.api.GangInfo;
import dev.drydock.api.Lease;
import dev.drydock.api.GangNotFoundException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.LongFunction;

/**
 * The holder's handle on a gang: its id and its members' handles; all state lives in the database.
 * Members become ACTIVE together, so waiting for each in turn waits for all of them. Thread-safe.
 */
public final class GangHandle implements Gang {
    private final long id;
    private final List<Lease> members;
    private final LongFunction<java.util.Optional<GangInfo>> info;

    public GangHandle(long id, List<Lease> members, LongFunction<java.util.Optional<GangInfo>> info) {
        this.id = id;
        this.members = List.copyOf(members);
        this.info = info;
    }

    @Override
    public long id() {
        return id;
    }

    @Override
    public List<Lease> leases() {
        return members;
    }

    @Override
    public GangInfo info() {
        return info.apply(id).orElseThrow(() -> new GangNotFoundException(id));
    }

    @Override
    public List<Lease> await(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Lease member : members) {
            member.await(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        }
        return members;
    }

    @Override
    public void release() {
        RuntimeException first = null;
        for (Lease member : members) {
            try {
                member.release();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    @Override
    public String toString() {
        return "Gang[" + id + "]";
    }
}
