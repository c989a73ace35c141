package dev.drydock.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throw-away OpenSSH {@code sshd} on 127.0.0.1 for {@code drydock-bench ssh}: its own temporary
 * directory, configuration, ed25519 host key and authorised user key, on a free port; the login user
 * is the user running the benchmark. A benchmark-local counterpart of the test fixture
 * {@code dev.drydock.testing.SshHost}, which is not on the benchmarks' classpath. {@link #close()}
 * kills sshd and everything it started and deletes the directory.
 */
final class BenchSshd implements AutoCloseable {
    static final String HOST = "127.0.0.1";
    private static final String SSHD = "/usr/sbin/sshd";
    private static final long START_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(15);

    final Path directory;
    final int port;
    private final Thread reaper = new Thread(this::destroy, "drydock-bench-sshd-reaper");
    private Process sshd;

    private BenchSshd(Path directory, int port) {
        this.directory = directory;
        this.port = port;
    }

    /** Starts sshd on a free port; retries a couple of times if the port is taken before sshd binds it. */
    static BenchSshd start() throws IOException {
        for (int attempt = 1; ; attempt++) {
            BenchSshd host = new BenchSshd(Files.createTempDirectory("drydock-bench-sshd-"), freePort());
            try {
                Runtime.getRuntime().addShutdownHook(host.reaper);
                host.prepare();
                host.launch();
                return host;
            } catch (RuntimeException | IOException e) {
                boolean portTaken = host.log().contains("Address already in use");
                host.close();
                if (!portTaken || attempt == 3) {
                    throw e;
                }
            }
        }
    }

    String user() {
        return System.getProperty("user.name");
    }

    Path userKey() {
        return directory.resolve("user_key");
    }

    Path hostKey() {
        return directory.resolve("ssh_host_ed25519_key");
    }

    /** The host key as a known_hosts line: {@code [127.0.0.1]:PORT ssh-ed25519 AAAA...}. */
    String hostKeyLine() throws IOException {
        String[] fields = Files.readString(publicKeyOf(hostKey()), StandardCharsets.UTF_8).strip().split("\\s+");
        return "[" + HOST + "]:" + port + " " + fields[0] + " " + fields[1];
    }

    /** A known_hosts file holding only this host's key line. */
    Path knownHostsFile() throws IOException {
        Path file = directory.resolve("known_hosts");
        if (!Files.exists(file)) {
            Files.writeString(file, hostKeyLine() + "\n", StandardCharsets.UTF_8);
        }
        return file;
    }

    String log() {
        try {
            Path log = directory.resolve("sshd.log");
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() {
        destroy();
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException e) {
            // the JVM is shutting down; the hook runs or ran anyway
        }
    }

    private synchronized void destroy() {
        if (sshd != null) {
            List<ProcessHandle> tree = Stream.concat(Stream.of(sshd.toHandle()), sshd.descendants()).toList();
            tree.forEach(ProcessHandle::destroyForcibly);
            try {
                sshd.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            sshd = null;
        }
        deleteTree(directory);
    }

    private void prepare() throws IOException {
        keygen(userKey(), "drydock-bench-user");
        keygen(hostKey(), "drydock-bench-host");
        Files.copy(publicKeyOf(userKey()), directory.resolve("authorized_keys"));
        Files.writeString(config(), String.join("\n",
                "ListenAddress " + HOST,
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
                "LogLevel INFO",
                "Subsystem sftp internal-sftp",
                // Debian's bash sources ~/.bashrc for shells sshd starts only while SHLVL < 2. The login
                // user here is the machine's own, whose rc files are not ours (on this image they run
                // `pyenv init`: ~120 ms per command, and a rehash lock that a killed session can leave
                // behind stalls every later login for 60 s). Tests must not depend on them.
                "SetEnv SHLVL=1",
                "MaxSessions 50",
                "MaxStartups 100",
                ""), StandardCharsets.UTF_8);
    }

    private void launch() throws IOException {
        Files.createDirectories(Path.of("/run/sshd")); // sshd's privilege separation directory
        sshd = new ProcessBuilder(SSHD, "-D", "-e", "-f", config().toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(directory.resolve("sshd.log").toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        long deadline = System.nanoTime() + START_TIMEOUT_NANOS;
        while (!accepts()) {
            if (!sshd.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("sshd did not start listening on " + HOST + ":" + port + "; log:\n" + log());
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for sshd", e);
            }
        }
    }

    private boolean accepts() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(HOST, port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private Path config() {
        return directory.resolve("sshd_config");
    }

    static Path publicKeyOf(Path privateKey) {
        return privateKey.resolveSibling(privateKey.getFileName() + ".pub");
    }

    private static void keygen(Path privateKey, String comment) throws IOException {
        List<String> argv = List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", privateKey.toString());
        Process process = new ProcessBuilder(argv).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("timed out: " + argv);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + argv, e);
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException(argv + " exited with " + process.exitValue() + ": " + output);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        }
    }

    static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete " + root, e);
        }
    }
}
