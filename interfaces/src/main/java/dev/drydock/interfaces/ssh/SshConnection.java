package dev.drydock.interfaces.ssh;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import net.schmizz.keepalive.KeepAliveProvider;
import net.schmizz.sshj.DefaultConfig;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.connection.channel.direct.Session;
import net.schmizz.sshj.sftp.SFTPClient;
import net.schmizz.sshj.userauth.keyprovider.KeyProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One authenticated SSH connection to a target, verified against the target's pinned host key
 * (never anything else). Many commands and file operations share it: each runs in a session
 * (channel) of its own, concurrently if callers like, and the SFTP subsystem is opened once and
 * shared. A keep-alive every {@value #KEEP_ALIVE_SECONDS} s notices a silently vanished host.
 * Thread-safe; {@link #close()} is idempotent.
 */
public final class SshConnection implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SshConnection.class);
    private static final int KEEP_ALIVE_SECONDS = 15;
    /** Aborts handshakes that run past their connect timeout; one daemon thread for all connections. */
    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("drydock-ssh-connect-watchdog").daemon().factory());

    private final SSHClient client;
    private final SshTarget target;
    private final SshCredentials credentials;
    private final Duration timeout;
    private final ReentrantLock sftpLock = new ReentrantLock();
    private final AtomicBoolean closed = new AtomicBoolean();
    private SFTPClient sftp;

    private SshConnection(SSHClient client, SshTarget target, SshCredentials credentials, Duration timeout) {
        this.client = client;
        this.target = target;
        this.credentials = credentials;
        this.timeout = timeout;
    }

    /**
     * Connects and logs in. Throws {@link HostKeyRejectedException}, {@link SshAuthenticationException},
     * {@link HostUnreachableException} or {@link SshTimeoutException} ({@code connectTimeout} bounds the
     * whole of connecting, key exchange and login, and later each exchange on the connection: opening
     * a session, an SFTP request), or an
     * {@link dev.drydock.api.InvalidRequestException} on {@code privateKey} if the key cannot be read.
     */
    public static SshConnection open(SshTarget target, SshCredentials credentials, Duration connectTimeout) {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        int timeoutMillis = (int) Math.clamp(connectTimeout.toMillis(), 1, Integer.MAX_VALUE);
        DefaultConfig config = new DefaultConfig();
        config.setKeepAliveProvider(KeepAliveProvider.KEEP_ALIVE);
        // The client's order decides. sshj's first choice, ChaCha20-Poly1305 in plain Java, costs the
        // client several times the CPU per byte of the JDK's AES-GCM: it bounds file transfers.
        config.setCipherFactories(JdkAesGcm.preferredBefore(config.getCipherFactories()));
        SSHClient client = new SSHClient(config);
        HostKeyCheck hostKeys = new HostKeyCheck(target);
        client.addHostKeyVerifier(hostKeys);
        client.setConnectTimeout(timeoutMillis);
        client.getTransport().setTimeoutMs(timeoutMillis);
        client.getConnection().setTimeoutMs(timeoutMillis); // opening and closing channels
        client.getConnection().getKeepAlive().setKeepAliveInterval(KEEP_ALIVE_SECONDS); // started by connect
        KeyProvider key = loadKey(client, credentials);
        boolean opened = false;
        // sshj reads the server's banner without a timeout: a watchdog bounds the whole handshake.
        AtomicBoolean settled = new AtomicBoolean();
        ScheduledFuture<?> watchdog = WATCHDOG.schedule(() -> abort(client, settled), timeoutMillis, TimeUnit.MILLISECONDS);
        try {
            client.connect(target.host(), target.port());
            // Many small request-reply exchanges: without this, Nagle and delayed ACKs add 40 ms to some.
            client.getSocket().setTcpNoDelay(true);
            client.authPublickey(target.user(), key);
            if (!settled.compareAndSet(false, true)) {
                throw new IOException("the connect watchdog fired just as the login succeeded");
            }
            log.debug("Connected to {}@{}", target.user(), target.address());
            opened = true;
            return new SshConnection(client, target, credentials, connectTimeout);
        } catch (IOException e) {
            if (!settled.compareAndSet(false, true)) { // the watchdog closed the socket
                throw new SshTimeoutException(target.host(), target.port(), "connecting and logging in", connectTimeout, e);
            }
            throw SshFailures.connecting(target, hostKeys, connectTimeout, e);
        } finally {
            watchdog.cancel(false);
            if (!opened) {
                disconnectQuietly(client);
            }
        }
    }

    private static KeyProvider loadKey(SSHClient client, SshCredentials credentials) {
        try {
            return PrivateKeys.load(client, credentials);
        } catch (RuntimeException e) {
            disconnectQuietly(client);
            throw e;
        }
    }

    /** Whether the connection is still up and logged in; a lost one stays lost. */
    boolean isAlive() {
        return !closed.get() && client.isConnected() && client.isAuthenticated();
    }

    SshTarget target() {
        return target;
    }

    SshCredentials credentials() {
        return credentials;
    }

    /** Opens a new session (channel) for one command. */
    Session startSession() {
        requireOpen();
        try {
            return client.startSession();
        } catch (IOException e) {
            throw failure("opening a session", e);
        }
    }

    /** The connection's SFTP client, opened on first use and again if its channel was closed. */
    SFTPClient sftp() {
        requireOpen();
        sftpLock.lock();
        try {
            if (sftp == null || !sftp.getSFTPEngine().getSubsystem().isOpen()) {
                sftp = client.newSFTPClient();
                sftp.getSFTPEngine().setTimeoutMs((int) Math.clamp(timeout.toMillis(), 1, Integer.MAX_VALUE));
            }
            return sftp;
        } catch (IOException e) {
            throw failure("starting the SFTP subsystem", e);
        } finally {
            sftpLock.unlock();
        }
    }

    /** The exception for a failure of this connection during {@code activity}. */
    SshException failure(String activity, Exception e) {
        return SshFailures.onConnection(target, activity, timeout, e);
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        sftpLock.lock();
        try {
            if (sftp != null) {
                sftp.close();
            }
        } catch (IOException e) {
            log.debug("Could not close the SFTP subsystem on {}: {}", target.address(), e.toString());
        } finally {
            sftpLock.unlock();
        }
        disconnectQuietly(client);
        log.debug("Closed the connection to {}@{}", target.user(), target.address());
    }

    @Override
    public String toString() {
        return "SshConnection[" + target.user() + "@" + target.address() + (isAlive() ? "" : ", closed") + "]";
    }

    private void requireOpen() {
        if (closed.get()) {
            throw new SshException("the SSH connection to " + target.address() + " was closed");
        }
    }

    // Closes the socket of a handshake still in progress, which unblocks its reads.
    private static void abort(SSHClient client, AtomicBoolean settled) {
        if (!settled.compareAndSet(false, true)) {
            return; // it finished first
        }
        Socket socket = client.getSocket();
        try {
            if (socket != null) {
                socket.close();
            }
        } catch (IOException e) {
            log.debug("Could not close a socket whose handshake timed out: {}", e.toString());
        }
    }

    private static void disconnectQuietly(SSHClient client) {
        try {
            client.disconnect();
        } catch (IOException | RuntimeException e) {
            log.debug("Could not disconnect cleanly: {}", e.toString());
        }
    }
}
