package dev.drydock.interfaces.ssh;

/**
 * The host offered a host key other than the one configured for it: the key changed (a reinstalled
 * machine) or someone is in the middle. Nothing was sent to the host; the message names the key it
 * offered and how to trust it if the change is legitimate.
 */
public class HostKeyRejectedException extends SshException {
    private static final long serialVersionUID = 1L;
    private final String host;
    private final int port;
    private final String offeredFingerprint;

    public HostKeyRejectedException(String host, int port, String offeredKeyType, String offeredFingerprint,
                                    String expected) {
        super("refused to connect to " + host + ":" + port + ": it offered the " + offeredKeyType + " host key "
                + offeredFingerprint + ", which is not the configured " + expected
                + "; someone may be intercepting the connection; if the host key changed legitimately, update the"
                + " blueprint's hostKey to '" + offeredFingerprint + "' or to the known_hosts line from `ssh-keyscan -p "
                + port + " " + host + "`");
        this.host = host;
        this.port = port;
        this.offeredFingerprint = offeredFingerprint;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    /** The SHA256 fingerprint of the key the host offered, as {@code ssh-keygen -lf} prints it. */
    public String offeredFingerprint() {
        return offeredFingerprint;
    }
}
