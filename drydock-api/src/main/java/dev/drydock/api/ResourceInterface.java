package dev.drydock.api;

/**
 * A way to use a leased resource, obtained from {@link Lease#interfaceOf(Class)}. Implementations
 * act only within the lease's own area of the resource (its working directory) and are usable
 * from several threads.
 */
public sealed interface ResourceInterface permits CommandInterface, FilesystemInterface, HttpdInterface {}
