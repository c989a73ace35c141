package dev.drydock.interfaces.ssh;

import java.time.Duration;

/** The host did not answer in time, while connecting or during an exchange on an open connection. */
public class SshTimeoutException extends SshException {
    private static final long serialVersionUID = 1L;
    private final String host;
    private final int port;
    private final Duration timeout;

    public SshTimeoutException(String host, int port, String activity, Duration timeout, Throwable cause) {
        super(host + ":" + port + " did not answer within " + timeout + " while " + activity, cause);
        this.host = host;
        this.port = port;
        this.timeout = timeout;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public Duration timeout() {
        return timeout;
    }
}
