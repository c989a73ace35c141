package dev.drydock.api;

import java.net.URI;

/**
 * The HTTP server that serves a lease's directory (a webroot lease, usually a working copy's
 * checkout). The blueprint starts it while the lease is acquired and stops it when the lease is
 * released, so a holder never starts or stops it: the lease is the server's lifetime, and the
 * holder only reads where it is and asks it to reload.
 */
public non-sealed interface HttpdInterface extends ResourceInterface {
    /**
     * Where the lease's directory is served, ending in {@code /} so that {@code uri().resolve("a.html")}
     * names a file in it. The same for the whole lease, across reloads and taskmasters; it answered
     * HTTP 200 before the lease became ACTIVE.
     */
    URI uri();

    /**
     * Asks the server to take up what changed in the directory and in its own configuration, keeping
     * {@link #uri()} and answering throughout: no request is refused because of it. Servers read a
     * directory's files on every request, so changed files need no reload; it is for what a server
     * reads once (its configuration, a cache). It returns once the server has been told; one that
     * reloads in the background (busybox httpd on SIGHUP) may answer a request sent at that moment
     * as before.
     *
     * @throws DrydockException the server no longer runs (its resource broke, or it was stopped
     *     outside Drydock); the message says which server, never a secret
     */
    void reload();
}
