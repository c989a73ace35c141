package dev.drydock.blueprint.webroot;

import java.util.Map;

/**
 * Starts, reloads, checks and stops one kind of HTTP server on a host, through the host's command
 * and filesystem interfaces only, so it works the same on the local host and over SSH. Every
 * process it starts names the site's state directory (or the resource's nginx prefix) in its
 * command line; a process is signalled only after its command line was read back and found to
 * name it, so a pid reused by an unrelated process is never touched.
 */
sealed interface HttpServer permits NginxServer, BusyboxServer, PythonServer {
    ServerKind kind();

    /**
     * Starts serving the site, or finds it served already by a try that died before recording it
     * (idempotent); returns once the port accepts connections. Returns facts to record on the lease
     * (such as {@code pid}), never secrets.
     */
    Map<String, String> serve(HostAccess host, Site site);

    /**
     * Makes the server take up changed configuration or content.
     *
     * @throws ServerNotRunningException the site is not served
     */
    void reload(HostAccess host, Site site);

    /** Stops serving the site; idempotent; returns only once the port refuses connections (bounded, then throws). */
    void stop(HostAccess host, Site site);

    /** Whether this layer's server for the site is running and its port accepts connections. */
    boolean serving(HostAccess host, Site site);

    /**
     * Stops every server process whose site state lives under {@code resourceDir}, for a destroyed
     * resource whose leases are not released one by one; idempotent. Never touches a process not
     * started under {@code resourceDir}.
     *
     * @return how many processes it stopped
     */
    int stopAll(HostAccess host, String resourceDir);
}
