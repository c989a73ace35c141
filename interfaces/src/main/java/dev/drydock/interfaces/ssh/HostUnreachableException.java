package dev.drydock.interfaces.ssh;

/** No TCP connection could be made to the host's SSH port: refused, no route, or an unknown name. */
public class HostUnreachableException extends SshException {
    private static final long serialVersionUID = 1L;
    private final String host;
    private final int port;

    public HostUnreachableException(String host, int port, Throwable cause) {
        super("cannot reach " + host + ":" + port + " (" + cause.getMessage()
                + "); check that the host is up, sshd is running and the port is right", cause);
        this.host = host;
        this.port = port;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }
}
