package dev.drydock.api;

import java.net.URI;

/** Serves a directory of the lease over HTTP. */
public non-sealed interface HttpdInterface extends ResourceInterface {
    /** Starts (or reuses) a server for {@code directory}, relative to the lease's directory; returns its URI. */
    URI serve(String directory);

    /** The URI being served, once {@link #serve} was called. */
    URI uri();

    void restart();
}
