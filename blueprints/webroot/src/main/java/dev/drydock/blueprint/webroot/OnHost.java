package dev.drydock.blueprint.webroot;

import dev.drydock.api.CommandInterface;
import dev.drydock.api.FilesystemInterface;
import dev.drydock.api.spi.ResourceContext;
import dev.drydock.api.spi.SubLease;
import dev.drydock.api.spi.Subdirectory;
import java.util.Optional;

/**
 * A web root's host, through its host sub-lease: the interfaces, the server kind found on it, the
 * address its servers listen on, and the directory (absolute, real) that holds every site's state.
 *
 * @param resourceDirectory {@code <host lease directory>/webroot}, as the host sees it
 */
record OnHost(long hostLeaseId, long hostResourceId, HostAccess access, HttpServer server, String address, String resourceDirectory) {
    /** The sub-lease's name on the web-root resource. */
    static final String HOST = "host";
    /** The resource attribute recording the host resource, which checkouts are pinned to. */
    static final String HOST_RESOURCE = "host.resource";
    /** The resource attribute recording {@link #resourceDirectory}, learnt once at build. */
    static final String DIRECTORY = "directory";
    static final String ADDRESS = "address";
    static final String SERVER = "server";
    private static final String HOST_DIRECTORY = "directory";
    private static final String OWN_DIRECTORY = "webroot";

    /**
     * While building: looks at the host (its directory, its servers) and says what it found; empty
     * when the host lease records no directory to keep state in.
     */
    static Optional<OnHost> discover(WebrootConfig config, SubLease host, HttpServers.Cache servers, long resourceId) {
        if (host.leaseAttributes().get(HOST_DIRECTORY) == null || host.resourceId().isEmpty()) {
            return Optional.empty();
        }
        HostAccess access = access(host, Optional.empty());
        String directory = access.leaseDirectory() + "/" + OWN_DIRECTORY;
        access.files().createDirectories(OWN_DIRECTORY);
        HttpServer server = servers.detect(resourceId, access, config.serverPreference());
        String address = config.addressIfSet().orElseGet(() -> HostAddress.of(host.resourceAttributes()));
        return Optional.of(new OnHost(host.id(), host.resourceId().get(), access, server, address, directory));
    }

    /** The host of a built web root, if its host lease is still active. */
    static Optional<OnHost> active(ResourceContext resource, HttpServers.Cache servers) {
        Optional<SubLease> host = resource.subLease(HOST).filter(SubLease::isActive);
        String directory = resource.resource().attributes().get(DIRECTORY);
        String address = resource.resource().attributes().get(ADDRESS);
        String kind = resource.resource().attributes().get(SERVER);
        if (host.isEmpty() || directory == null || address == null || kind == null || host.get().resourceId().isEmpty()) {
            return Optional.empty();
        }
        HostAccess access = access(host.get(), Optional.of(directory.substring(0, directory.length() - OWN_DIRECTORY.length() - 1)));
        HttpServer server = servers.detect(resource.resource().id(), access, ServerPreference.of(ServerKind.fromLabel(kind)));
        return Optional.of(new OnHost(host.get().id(), host.get().resourceId().get(), access, server, address, directory));
    }

    /** The state directory of lease {@code leaseId}'s site. */
    String stateDirectory(long leaseId) {
        return resourceDirectory + "/lease-" + leaseId;
    }

    /** The directory a lease with no checkout serves, which its holder fills. */
    String ownRoot(long leaseId) {
        return stateDirectory(leaseId) + "/www";
    }

    /** The lease's own directory, as a filesystem interface its holder writes pages through. */
    FilesystemInterface filesIn(String absolute) {
        return Subdirectory.files(access.files(), access.relative("root", absolute));
    }

    /** Removes what a lease's site left in the state directory; its checkout, if any, is the working copy's. */
    void deleteLeaseFiles(long leaseId) {
        access.files().delete(access.relative("stateDir", stateDirectory(leaseId)));
    }

    /** Removes every site's state; the servers must be stopped first. */
    void deleteResourceFiles() {
        access.files().delete(OWN_DIRECTORY);
    }

    private static HostAccess access(SubLease host, Optional<String> knownDirectory) {
        return new HostAccess(host.getInterface(CommandInterface.class), host.getInterface(FilesystemInterface.class), knownDirectory);
    }
}
