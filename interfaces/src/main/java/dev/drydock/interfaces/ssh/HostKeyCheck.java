package dev.drydock.interfaces.ssh;

import java.security.PublicKey;
import java.util.List;
import net.schmizz.sshj.transport.verification.HostKeyVerifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only {@link HostKeyVerifier} a connection uses: accepts the target's pinned key and nothing
 * else, and remembers what a refused host offered so the failure can say how to trust it. One per
 * connection attempt.
 */
final class HostKeyCheck implements HostKeyVerifier {
    private static final Logger log = LoggerFactory.getLogger(HostKeyCheck.class);

    private final SshTarget target;
    private final PinnedHostKey pinned;
    private volatile Offered rejected;

    /** The key a refused host offered. */
    private record Offered(String type, String fingerprint) {}

    HostKeyCheck(SshTarget target) {
        this.target = target;
        this.pinned = PinnedHostKey.parse("hostKey", target.hostKey());
    }

    @Override
    public boolean verify(String hostname, int port, PublicKey key) {
        if (pinned.matches(key)) {
            return true;
        }
        String fingerprint = PinnedHostKey.fingerprint(key);
        rejected = new Offered(PinnedHostKey.typeOf(key), fingerprint);
        log.warn("Refusing {}: it offered host key {}, not the configured {}", target.address(), fingerprint,
                pinned.describe());
        return false;
    }

    @Override
    public List<String> findExistingAlgorithms(String hostname, int port) {
        return pinned.algorithms();
    }

    /** The refusal, if this check refused the host's key; built here, in the caller's thread. */
    HostKeyRejectedException rejection() {
        Offered offered = rejected;
        return offered == null ? null : new HostKeyRejectedException(target.host(), target.port(), offered.type(),
                offered.fingerprint(), pinned.describe());
    }
}
