package dev.drydock.api;

/** No gang has the given id. */
public class GangNotFoundException extends DrydockException {
    private static final long serialVersionUID = 1L;
    private final long gangId;

    public GangNotFoundException(long gangId) {
        super("no gang " + gangId);
        this.gangId = gangId;
    }

    public long gangId() {
        return gangId;
    }
}
