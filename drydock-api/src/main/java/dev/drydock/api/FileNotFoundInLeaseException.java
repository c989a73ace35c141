package dev.drydock.api;


/** Nothing exists at a path in the lease's directory that an operation needed to exist. */
public class FileNotFoundInLeaseException extends DrydockException {
    private static final long serialVersionUID = 1L;
    private final String path;

    public FileNotFoundInLeaseException(String path) {
        super("no such file or directory in the lease's directory: '" + path + "'");
        this.path = path;
    }

    /** The path as the caller gave it, relative to the lease's directory. */
    public String path() {
        return path;
    }
}
