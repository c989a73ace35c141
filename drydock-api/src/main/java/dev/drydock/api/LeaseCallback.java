package dev.drydock.api;

/**
 * The work done with an active lease in {@link Allocator#withLease}. It may throw a checked exception
 * of its own, which {@code withLease} passes on unchanged.
 *
 * @param <T> what the work returns
 * @param <X> the exception the work may throw
 */
@FunctionalInterface
public interface LeaseCallback<T, X extends Exception> {
    /** Works with {@code lease}, which is active; it is released afterwards whatever this does. */
    T withLease(Lease lease) throws X;
}
