package dev.drydock.core;

import dev.drydock.api.DrydockException;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * One busybox httpd serving {@code served} on 127.0.0.1:{@code port}, reading its configuration from
 * {@code conf} (kept outside what it serves, so a served file named httpd.conf is never read as one).
 * A process is taken for it only if it runs exactly its argv, read from {@code /proc/PID/cmdline}: a
 * recorded pid may have been reused by the time it is stopped, and the argv, which names the lease's
 * own directory, is also how a server that a crashed step started is found again.
 */
record BusyboxHttpd(int port, Path served, Path conf) {
    /** Where Debian's busybox package puts it ({@code .ci/run} installs it). */
    private static final String BUSYBOX = "/bin/busybox";
    private static final Duration EXIT_WAIT = Duration.ofSeconds(5);

    List<String> argv() {
        return List.of(BUSYBOX, "httpd", "-f", "-p", "127.0.0.1:" + port, "-h", served.toString(), "-c", conf.toString());
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + port + "/");
    }

    /** Starts it in a process of its own (foreground mode, output appended to {@code log}); returns its pid. */
    long start(Path log) {
        try {
            return new ProcessBuilder(argv()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start().pid();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start busybox httpd on 127.0.0.1:" + port + " (is busybox installed?)", e);
        }
    }

    /** Whether process {@code pid} is this server. */
    boolean runsAs(long pid) {
        return argvOf(pid).filter(argv()::equals).isPresent();
    }

    /** A process running this server, if there is one. */
    Optional<Long> find() {
        return pids(argv()::equals).stream().findFirst();
    }

    /** Stops process {@code pid} if it is this server, and waits until it has exited; otherwise it is gone already. */
    void stop(long pid) {
        if (runsAs(pid)) {
            terminate(pid);
        }
    }

    /** Makes process {@code pid}, this server, re-read its configuration: busybox httpd does on SIGHUP (and reads files on every request). */
    void reload(long pid) {
        if (!runsAs(pid)) {
            throw new DrydockException("the httpd serving " + uri() + " (pid " + pid + ") no longer runs");
        }
        try {
            Process kill = new ProcessBuilder(BUSYBOX, "kill", "-HUP", Long.toString(pid)).redirectErrorStream(true).start();
            if (!kill.waitFor(EXIT_WAIT.toMillis(), TimeUnit.MILLISECONDS) || kill.exitValue() != 0) {
                throw new DrydockException("could not signal the httpd serving " + uri() + " (pid " + pid + ")");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DrydockException("interrupted while reloading the httpd serving " + uri());
        }
    }

    /** Stops every busybox httpd serving a directory under {@code dir}: what a resource's destroy leaves nothing of. */
    static void stopAllServingUnder(Path dir) {
        pidsServingUnder(dir).forEach(BusyboxHttpd::terminate);
    }

    static List<Long> pidsServingUnder(Path dir) {
        return pids(argv -> argv.size() > 6 && argv.get(0).equals(BUSYBOX) && argv.get(1).equals("httpd")
                && argv.get(5).equals("-h") && Path.of(argv.get(6)).startsWith(dir));
    }

    private static void terminate(long pid) {
        ProcessHandle.of(pid).ifPresent(process -> {
            process.destroy(); // SIGTERM: busybox httpd exits at once
            if (!exited(process)) {
                process.destroyForcibly();
                if (!exited(process)) {
                    throw new IllegalStateException("busybox httpd " + pid + " did not exit");
                }
            }
        });
    }

    private static boolean exited(ProcessHandle process) {
        try {
            process.onExit().get(EXIT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping busybox httpd " + process.pid(), e);
        }
    }

    private static List<Long> pids(Predicate<List<String>> argv) {
        return ProcessHandle.allProcesses().map(ProcessHandle::pid).filter(pid -> argvOf(pid).filter(argv).isPresent()).toList();
    }

    /** A process's argv; empty if it is gone, a zombie or a kernel thread. */
    private static Optional<List<String>> argvOf(long pid) {
        try {
            String cmdline = Files.readString(Path.of("/proc", Long.toString(pid), "cmdline"), StandardCharsets.UTF_8);
            return cmdline.isEmpty() ? Optional.empty() : Optional.of(Arrays.asList(cmdline.split("\0")));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
