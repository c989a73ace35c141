package dev.drydock.api;

/**
 * A blueprint cannot be deleted while resources it built are not yet destroyed: they would lose the
 * configuration that runs and destroys them. Nothing was changed.
 */
public class BlueprintInUseException extends DrydockException {
    private static final long serialVersionUID = 1L;
    private final String blueprint;
    private final int liveResources;

    public BlueprintInUseException(String blueprint, int liveResources) {
        super("blueprint " + blueprint + " still has " + liveResources + " resource(s) not yet destroyed; disable it, release its"
                + " leases and resources (drydock-control resource release ID), and delete it once they are destroyed");
        this.blueprint = blueprint;
        this.liveResources = liveResources;
    }

    public String blueprint() {
        return blueprint;
    }

    public int liveResources() {
        return liveResources;
    }
}
