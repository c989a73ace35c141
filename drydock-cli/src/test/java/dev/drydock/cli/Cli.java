package dev.drydock.cli;

import dev.drydock.testing.Await;
import dev.drydock.testing.JavaProcess;
import dev.drydock.testing.TempFiles;
import dev.drydock.testing.TestDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * drydock-control against one database as one user: in this JVM ({@link #run}), or in a JVM of its
 * own where the process is what is tested ({@link #runInItsOwnJvm}); and the daemon, in another.
 */
final class Cli {
    private final String jdbcUrl;
    private final Path home;
    private final InProcessCli inProcess;

    Cli(TestDatabase db, Path scratch) {
        this(db.jdbcUrlWithCredentials(), scratch);
    }

    /**
     * Every run of this test's user shares one DRYDOCK_HOME of its own (never the real ~/.drydock): a
     * new directory in {@code scratch}, the test's {@code @TempDir}, which JUnit deletes after it.
     */
    Cli(String jdbcUrl, Path scratch) {
        this.jdbcUrl = jdbcUrl;
        try {
            this.home = Files.createTempDirectory(scratch, "drydock-home");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.inProcess = InProcessCli.against(jdbcUrl, home);
    }

    /** The DRYDOCK_HOME of this test's user: where the owner tokens of its leases are kept. */
    Path home() {
        return home;
    }

    record Result(int exitCode, String stdout, String stderr) {}

    /** In this JVM: see {@link InProcessCli} for what that does not capture. */
    Result run(String... args) {
        return inProcess.run(args);
    }

    /** In a JVM of its own, as this test's user: its whole stdout and stderr, and an exec's program's. */
    Result runInItsOwnJvm(String... args) {
        return runInItsOwnJvm(As.ME, java.util.Map.of("DRYDOCK_HOME", home.toString()), new byte[0], args);
    }

    /** Who runs drydock-control: this test's user, or another OS user through runuser. */
    record As(List<String> prefix, String classpath) {
        static final As ME = new As(List.of(), JavaProcess.classpath());

        /** {@code runuser -u USER --}, with a copy of the classpath that user can read. */
        static As user(String name, String readableClasspath) {
            return new As(List.of("runuser", "-u", name, "--"), readableClasspath);
        }
    }

    /**
     * Runs drydock-control as {@code as} with {@code env} added to the environment and {@code stdin}
     * as its standard input (end-of-file after it; never this JVM's own input).
     */
    Result runInItsOwnJvm(As as, java.util.Map<String, String> env, byte[] stdin, String... args) {
        List<String> command = new ArrayList<>(as.prefix());
        command.add(JavaProcess.javaExecutable());
        command.addAll(Launcher.jvmOptions(DrydockControl.class));
        command.addAll(List.of("-cp", as.classpath(), DrydockControl.class.getName(), "--db", jdbcUrl));
        command.addAll(List.of(args));
        Path files = TempFiles.directory("cli-run");
        try {
            Path out = files.resolve("out.txt");
            Path err = files.resolve("err.txt");
            Path in = Files.write(files.resolve("in.txt"), stdin);
            ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(in.toFile());
            builder.environment().putAll(env);
            Process p = builder.start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("drydock-control " + List.of(args) + " did not finish in 120 s");
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } finally {
            TempFiles.deleteTree(files); // read by now: a run leaves nothing in the temporary directory
        }
    }

    /** In a JVM of its own that keeps running (a --watch): its stdout and stderr together in {@code output}. */
    Process start(Path output, String... args) {
        List<String> all = new ArrayList<>(List.of("--db", jdbcUrl));
        all.addAll(List.of(args));
        return JavaProcess.start(DrydockControl.class, output, Launcher.jvmOptions(DrydockControl.class), all,
                environment -> environment.put("DRYDOCK_HOME", home.toString()));
    }

    Process daemon(Path log, String... extra) {
        List<String> args = new ArrayList<>(List.of("--db", jdbcUrl, "--threads", "8"));
        args.addAll(List.of(extra));
        return JavaProcess.start(DrydockTaskmaster.class, log, args);
    }

    /**
     * The daemon, once it says it runs: a test's next command then finds it working, and a JVM it
     * starts does not start alongside the daemon's (on a loaded machine that pushed its first
     * connection past the pool's 2 s).
     */
    Process runningDaemon(Path log) {
        Process daemon = daemon(log);
        Await.until("daemon running", Duration.ofSeconds(60), () -> {
            try {
                return Files.readString(log).contains("running with");
            } catch (IOException notYet) {
                return false;
            }
        });
        return daemon;
    }

    static long jsonLong(String json, String field) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"" + field + "\"\\s*:\\s*(\\d+)").matcher(json);
        if (!m.find()) {
            throw new AssertionError("no numeric field " + field + " in " + json);
        }
        return Long.parseLong(m.group(1));
    }

    static String jsonString(String json, String field) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"" + field + "\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
        if (!m.find()) {
            throw new AssertionError("no string field " + field + " in " + json);
        }
        return m.group(1);
    }
}
