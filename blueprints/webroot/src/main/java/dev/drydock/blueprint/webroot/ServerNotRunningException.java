package dev.drydock.blueprint.webroot;

import dev.drydock.api.DrydockException;

/** A site was to be reloaded but no server of this layer serves it; serve it again first. */
final class ServerNotRunningException extends DrydockException {
    private static final long serialVersionUID = 1L;

    ServerNotRunningException(ServerKind kind, Site site) {
        super(kind.label() + " is not serving " + site.uri() + " (lease " + site.leaseId()
                + "); serve the site again to start it, or release the lease if it is no longer wanted");
    }
}
