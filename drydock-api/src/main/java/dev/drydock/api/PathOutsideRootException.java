package dev.drydock.api;

/**
 * A filesystem or working-directory path would leave the lease's root (through {@code ..}, an
 * absolute path, or a symbolic link); nothing was read or written.
 */
public class PathOutsideRootException extends DrydockException {
    private static final long serialVersionUID = 1L;
    private final String path;

    public PathOutsideRootException(String path, String why) {
        super("refused path '" + path + "': " + why + "; paths must stay inside the lease's directory");
        this.path = path;
    }

    public String path() {
        return path;
    }
}
