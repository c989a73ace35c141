package dev.drydock.interfaces.ssh;

/** The host refused our private key for the user: its public half is not authorised there. */
public class SshAuthenticationException extends SshException {
    private static final long serialVersionUID = 1L;
    private final String user;
    private final String host;
    private final int port;

    public SshAuthenticationException(String user, String host, int port, Throwable cause) {
        super(user + "@" + host + ":" + port + " refused the configured private key (public-key authentication"
                + " failed); check that its public key is in that user's authorized_keys", cause);
        this.user = user;
        this.host = host;
        this.port = port;
    }

    public String user() {
        return user;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }
}
