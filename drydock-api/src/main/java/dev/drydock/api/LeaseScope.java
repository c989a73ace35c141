package dev.drydock.api;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/** {@link Allocator#withLease}: acquire, await, run, and always release. */
final class LeaseScope {
    private LeaseScope() {}

    static <T, X extends Exception> T run(Allocator allocator, LeaseRequest request, Duration activeTimeout,
                                          Optional<Duration> endedTimeout, LeaseCallback<T, X> body) throws X {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(activeTimeout, "activeTimeout");
        Objects.requireNonNull(body, "body");
        Lease lease = allocator.acquire(request);
        T result;
        try {
            result = body.withLease(lease.await(activeTimeout));
        } catch (Throwable failure) {
            try {
                lease.release(); // also cancels a request that never became active
            } catch (RuntimeException releaseFailed) {
                failure.addSuppressed(releaseFailed);
            }
            throw failure;
        }
        lease.release();
        endedTimeout.ifPresent(lease::awaitEnded);
        return result;
    }
}
