package dev.drydock.testing.libvirt;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.common.DisconnectReason;
import net.schmizz.sshj.transport.TransportException;
import net.schmizz.sshj.userauth.UserAuthException;
import net.schmizz.sshj.connection.channel.direct.Session;
import net.schmizz.sshj.sftp.SFTPClient;

/** An sshj login as root on a test guest that accepts exactly one host key, given by its fingerprint. */
final class GuestSsh implements AutoCloseable {
    private static final Duration ATTEMPT_PAUSE = Duration.ofMillis(250);
    // QEMU's user-mode forward accepts a connection before the guest listens and then holds it
    // silent, so an attempt must give up soon rather than wait the whole read timeout.
    private static final int ATTEMPT_TIMEOUT_MILLIS = 5_000;
    private final SSHClient client;

    private GuestSsh(SSHClient client) {
        this.client = client;
    }

    static GuestSsh connect(String host, int port, String hostKeyFingerprint, Path userKey) throws IOException {
        SSHClient client = new SSHClient();
        try {
            client.addHostKeyVerifier(hostKeyFingerprint); // refuses every other key
            client.setConnectTimeout(2_000);
            client.setTimeout(ATTEMPT_TIMEOUT_MILLIS);
            client.connect(host, port);
            client.authPublickey("root", client.loadKeys(userKey.toString()));
            return new GuestSsh(client);
        } catch (IOException | RuntimeException e) {
            client.close();
            throw e;
        }
    }

    /** Tries to log in until it works or {@code timeout} passes; a guest boots for several seconds. */
    static GuestSsh await(String host, int port, String hostKeyFingerprint, Path userKey, Duration timeout)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                return connect(host, port, hostKeyFingerprint, userKey);
            } catch (UserAuthException e) {
                throw e; // the guest answers and refuses the key: waiting changes nothing
            } catch (TransportException e) {
                if (e.getDisconnectReason() == DisconnectReason.HOST_KEY_NOT_VERIFIABLE) {
                    throw e; // not the pinned host key: never accepted
                }
                if (System.nanoTime() > deadline) {
                    throw new IOException("no SSH login on " + host + ":" + port + " within " + timeout + ": " + e, e);
                }
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("no SSH login on " + host + ":" + port + " within " + timeout + ": " + e, e);
                }
            }
            // Nothing to wait on: the guest's sshd appears when it appears.
            Thread.sleep(ATTEMPT_PAUSE);
        }
    }

    /** Runs {@code command}; its standard output, failing on a non-zero exit. */
    String exec(String command) throws IOException {
        try (Session session = client.startSession(); Session.Command run = session.exec(command)) {
            String output = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            run.join(20, TimeUnit.SECONDS);
            Integer status = run.getExitStatus();
            if (status == null || status != 0) {
                throw new IOException(command + " exited with " + status + ": "
                        + new String(run.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
            }
            return output;
        }
    }

    SFTPClient sftp() throws IOException {
        return client.newSFTPClient();
    }

    @Override
    public void close() throws IOException {
        client.close();
    }
}
