package dev.drydock.interfaces.ssh;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import net.schmizz.sshj.userauth.UserAuthException;

/** Turns what sshj and the socket layer throw into the {@link SshException} that explains it. */
final class SshFailures {
    private SshFailures() {}

    /** A failure while connecting and logging in. */
    static SshException connecting(SshTarget target, HostKeyCheck hostKeys, Duration timeout, Exception e) {
        HostKeyRejectedException rejected = hostKeys.rejection();
        if (rejected != null) {
            rejected.initCause(e);
            return rejected;
        }
        if (has(e, UserAuthException.class)) {
            return new SshAuthenticationException(target.user(), target.host(), target.port(), e);
        }
        return onConnection(target, "connecting as " + target.user(), timeout, e);
    }

    /** A failure on an established connection: it was lost, or the host stopped answering. */
    static SshException onConnection(SshTarget target, String activity, Duration timeout, Exception e) {
        Throwable unreachable = find(e, ConnectException.class, NoRouteToHostException.class, UnknownHostException.class);
        if (unreachable != null) {
            return new HostUnreachableException(target.host(), target.port(), unreachable);
        }
        if (find(e, SocketTimeoutException.class, TimeoutException.class) != null) {
            return new SshTimeoutException(target.host(), target.port(), activity, timeout, e);
        }
        return new SshException("SSH connection to " + target.address() + " failed while " + activity + ": " + e, e);
    }

    private static boolean has(Throwable e, Class<? extends Throwable> type) {
        return find(e, type) != null;
    }

    @SafeVarargs
    private static Throwable find(Throwable e, Class<? extends Throwable>... types) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            for (Class<? extends Throwable> type : types) {
                if (type.isInstance(t)) {
                    return t;
                }
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }
}
