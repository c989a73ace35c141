package dev.drydock.interfaces.ssh;

import dev.drydock.api.InvalidRequestException;
import java.util.Objects;

/**
 * Where to connect and which host key to trust there. Validated on construction.
 *
 * @param host    a host name or address
 * @param port    the SSH port, 1 to 65535
 * @param user    the login user
 * @param hostKey the only host key accepted: a known_hosts line ({@code [host]:port ssh-ed25519 AAAA...}
 *                or {@code host ssh-ed25519 AAAA...}, as {@code ssh-keyscan} prints it) or a pinned
 *                fingerprint {@code SHA256:...} (as {@code ssh-keygen -lf} prints it)
 */
public record SshTarget(String host, int port, String user, String hostKey) {
    public SshTarget {
        requireText("host", host);
        if (port < 1 || port > 65535) {
            throw new InvalidRequestException("port", "must be between 1 and 65535, was " + port);
        }
        requireText("user", user);
        requireText("hostKey", hostKey);
        PinnedHostKey.parse("hostKey", hostKey);
    }

    /** {@code host:port}, for messages. */
    String address() {
        return host + ":" + port;
    }

    private static void requireText(String field, String value) {
        Objects.requireNonNull(value, field);
        if (value.isBlank()) {
            throw new InvalidRequestException(field, "must not be blank");
        }
    }
}
