package dev.drydock.api;

/** The lease's resource offers no interface of the requested type. */
public class InterfaceNotSupportedException extends DrydockException {
    private static final long serialVersionUID = 1L;

    public InterfaceNotSupportedException(long leaseId, Class<?> type, String blueprintType) {
        super("lease " + leaseId + " (blueprint type " + blueprintType + ") offers no " + type.getSimpleName());
    }
}
