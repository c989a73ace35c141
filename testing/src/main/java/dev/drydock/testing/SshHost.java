package dev.drydock.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

/**
 * A real OpenSSH {@code sshd} listening on 127.0.0.1 with a configuration, host key and authorized
 * user key of its own, so several instances are several independent hosts. The login user is the
 * user running the tests. Tests inject failures with {@link #kill()}, {@link #restart()} and
 * {@link #replaceHostKey()}; {@link #close()} kills the server and deletes its directory.
 *
 * <p>{@link #start(String, int, String)} makes a host on another loopback address that lets in the
 * keys it is given instead of one of its own, as a cloud instance does with its launch key pair.
 */
public final class SshHost implements AutoCloseable {
    private static final String SSHD = "/usr/sbin/sshd";
    private static final String DEFAULT_ADDRESS = "127.0.0.1";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration KILL_TIMEOUT = Duration.ofSeconds(5);

    private final ReentrantLock lock = new ReentrantLock();
    private final Path directory;
    private final String address;
    private final int port;
    // Empty when the host made its own user key; then that key is the one authorised.
    private final String givenAuthorizedKeys;
    private final boolean ownUserKey;
    private final Thread killOnExit = new Thread(this::destroy, "drydock-sshd-reaper");
    private Process sshd;
    private String hostKeyFingerprintLine;

    private SshHost(Path directory, String address, int port, String givenAuthorizedKeys, boolean ownUserKey) {
        this.directory = directory;
        this.address = address;
        this.port = port;
        this.givenAuthorizedKeys = givenAuthorizedKeys;
        this.ownUserKey = ownUserKey;
    }

    /** Starts a new host on a free port with fresh host and user keys. */
    public static SshHost start() {
        // The free port may be taken by someone else before sshd binds it; a few tries settle that.
        for (int attempt = 1; ; attempt++) {
            try {
                return launched(new SshHost(createDirectory(), DEFAULT_ADDRESS, freePort(), "", true));
            } catch (RuntimeException | Error e) {
                boolean portTaken = String.valueOf(e.getMessage()).contains("Address already in use");
                if (!portTaken || attempt == 3) {
                    throw e;
                }
            }
        }
    }

    /**
     * Starts a host listening on {@code address:port} (a loopback address, so no setup is needed)
     * that authorises exactly {@code authorizedKeys}, authorized_keys lines that may be empty to let
     * nobody in. It has no user key of its own: {@link #userPrivateKeyPem()} is refused.
     */
    public static SshHost start(String address, int port, String authorizedKeys) {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(authorizedKeys, "authorizedKeys");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1 to 65535, was " + port);
        }
        return launched(new SshHost(createDirectory(), address, port, authorizedKeys, false));
    }

    private static SshHost launched(SshHost host) {
        try {
            host.prepare();
            host.launch();
            // A test JVM that exits without closing the host must not leave sshd behind.
            Runtime.getRuntime().addShutdownHook(host.killOnExit);
            return host;
        } catch (RuntimeException | Error e) {
            // An interrupted start must still reap its sshd and delete its directory: close() waits for both.
            boolean interrupted = Thread.interrupted();
            try {
                host.close();
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
            throw e;
        }
    }

    /** Generates an unrelated, unauthorised key pair in {@code dir} and returns its private key text. */
    public static String generatePrivateKeyPem(Path dir) {
        Path key = dir.resolve("extra_key_" + System.nanoTime());
        SshKeygen.generate(key, "drydock-test-extra");
        return read(key);
    }

    public String host() {
        return address;
    }

    public int port() {
        return port;
    }

    public String user() {
        return System.getProperty("user.name");
    }

    /** The current host key as a known_hosts line: {@code [127.0.0.1]:PORT ssh-ed25519 AAAA...}. */
    public String hostKeyLine() {
        String[] fields = read(SshKeygen.publicKeyOf(hostKey())).strip().split("\\s+");
        return "[" + address + "]:" + port + " " + fields[0] + " " + fields[1];
    }

    /** The current host public key as its {@code .pub} file has it: {@code ssh-ed25519 AAAA... comment}. */
    public String hostPublicKey() {
        return read(SshKeygen.publicKeyOf(hostKey())).strip();
    }

    /** The current host key's fingerprint as {@code ssh-keygen -lf} prints it: {@code SHA256:...}. */
    public String hostKeyFingerprint() {
        return hostKeyFingerprintLine().split("\\s+")[1];
    }

    /** The current host key as {@code ssh-keygen -lf} describes it: {@code 256 SHA256:... comment (ED25519)}. */
    public String hostKeyFingerprintLine() {
        lock.lock();
        try {
            return hostKeyFingerprintLine;
        } finally {
            lock.unlock();
        }
    }

    public Path userPrivateKeyPath() {
        return ownUserKey();
    }

    /** The authorised user's private key in OpenSSH format. */
    public String userPrivateKeyPem() {
        return read(ownUserKey());
    }

    /** What sshd logged so far, across restarts. */
    public String log() {
        Path log = directory.resolve("sshd.log");
        return Files.exists(log) ? read(log) : "";
    }

    /** SIGKILLs sshd and every process it started, so open connections and their commands die too. */
    public void kill() {
        lock.lock();
        try {
            if (sshd == null) {
                return;
            }
            // Collect the tree first: once sshd is dead its children are reparented and unreachable.
            List<ProcessHandle> tree = Stream.concat(Stream.of(sshd.toHandle()), sshd.descendants()).toList();
            tree.forEach(ProcessHandle::destroyForcibly);
            sshd.descendants().forEach(ProcessHandle::destroyForcibly); // forked while collecting
            if (!sshd.waitFor(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("sshd on " + address + ":" + port + " survived SIGKILL");
            }
            sshd = null;
            long deadline = System.nanoTime() + KILL_TIMEOUT.toNanos();
            for (ProcessHandle process : tree) {
                while (isRunning(process) && System.nanoTime() < deadline) {
                    pause();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while killing sshd on " + address + ":" + port, e);
        } finally {
            lock.unlock();
        }
    }

    /** Kills sshd and starts it again on the same port with the same keys. */
    public void restart() {
        lock.lock();
        try {
            kill();
            launch();
        } finally {
            lock.unlock();
        }
    }

    /** Gives the host a new host key and restarts it, as a reinstalled machine would. */
    public void replaceHostKey() {
        lock.lock();
        try {
            kill();
            generateHostKey();
            launch();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            destroy();
            removeShutdownHook();
        } finally {
            lock.unlock();
        }
    }

    private void destroy() {
        kill();
        TempFiles.deleteTree(directory);
    }

    @Override
    public String toString() {
        return "SshHost[" + user() + "@" + address + ":" + port + "]";
    }

    private void generateHostKey() {
        SshKeygen.generate(hostKey(), "drydock-test-host");
        hostKeyFingerprintLine = SshKeygen.fingerprintLine(SshKeygen.publicKeyOf(hostKey()));
    }

    private void launch() {
        try {
            Files.createDirectories(Path.of("/run/sshd")); // sshd's privilege separation directory
            Path log = directory.resolve("sshd.log");
            sshd = new ProcessBuilder(SSHD, "-D", "-e", "-f", config().toString())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + SSHD, e);
        }
        Process started = sshd;
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!accepts()) {
            if (!started.isAlive() || System.nanoTime() > deadline) {
                kill();
                throw new IllegalStateException("sshd did not start listening on " + address + ":" + port + "; log:\n" + log());
            }
            pause();
        }
    }

    private void removeShutdownHook() {
        try {
            Runtime.getRuntime().removeShutdownHook(killOnExit);
        } catch (IllegalStateException e) {
            // the JVM is shutting down; the hook runs or ran anyway
        }
    }

    // A killed process stays a zombie until its (new) parent reaps it; that is dead enough.
    private static boolean isRunning(ProcessHandle process) {
        if (!process.isAlive()) {
            return false;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            return !stat.substring(stat.lastIndexOf(')') + 1).strip().startsWith("Z");
        } catch (IOException | RuntimeException e) {
            return false; // gone meanwhile
        }
    }

    private void prepare() {
        try {
            if (ownUserKey) {
                SshKeygen.generate(userKey(), "drydock-test-user");
                Files.copy(SshKeygen.publicKeyOf(userKey()), directory.resolve("authorized_keys"));
            } else {
                Files.writeString(directory.resolve("authorized_keys"), givenAuthorizedKeys);
            }
            Files.writeString(config(), configText());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        generateHostKey();
    }

    // Polling a port or a process: there is no event to wait on.
    private static void pause() {
        try {
            Thread.sleep(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for sshd", e);
        }
    }

    private boolean accepts() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private String configText() {
        return String.join("\n",
                "ListenAddress " + address,
                "Port " + port,
                "HostKey " + hostKey(),
                "AuthorizedKeysFile " + directory.resolve("authorized_keys"),
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "PubkeyAuthentication yes",
                "PermitRootLogin prohibit-password",
                "StrictModes no",
                "UsePAM no",
                "UseDNS no",
                "PrintMotd no",
                "PidFile " + directory.resolve("sshd.pid"),
                "LogLevel VERBOSE",
                "Subsystem sftp internal-sftp",
                // Debian's bash sources ~/.bashrc for shells sshd starts only while SHLVL < 2. The login
                // user here is the machine's own, whose rc files are not ours (on this image they run
                // `pyenv init`: ~120 ms per command, and a rehash lock that a killed session can leave
                // behind stalls every later login for 60 s). Tests must not depend on them.
                "SetEnv SHLVL=1",
                "MaxSessions 50",
                "MaxStartups 100",
                "");
    }

    private Path config() {
        return directory.resolve("sshd_config");
    }

    private Path hostKey() {
        return directory.resolve("ssh_host_ed25519_key");
    }

    private Path userKey() {
        return directory.resolve("user_key");
    }

    private Path ownUserKey() {
        if (!ownUserKey) {
            throw new IllegalStateException(this + " lets in the keys it was given and has no user key of its own");
        }
        return userKey();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getByName(DEFAULT_ADDRESS))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path createDirectory() {
        try {
            return Files.createTempDirectory("drydock-sshd-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
