package dev.drydock.interfaces.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drydock.api.Command;
import dev.drydock.api.CommandResult;
import dev.drydock.api.InvalidRequestException;
import dev.drydock.api.PathOutsideRootException;
import dev.drydock.api.ProgramNotFoundException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LocalCommandInterfaceTest implements dev.drydock.interfaces.StdinAndProgramsContract {
    private static final Duration PROMPTLY = Duration.ofSeconds(20);

    @TempDir
    Path lease;

    @TempDir
    Path outside;

    private LocalCommandInterface commands;

    @Override
    public dev.drydock.api.CommandInterface commandInterface() {
        return commands;
    }

    @Override
    public Path leaseDirectory() {
        return lease;
    }

    @BeforeEach
    void setUp() {
        commands = new LocalCommandInterface(lease);
    }

    @Test
    void reportsExitCodeAndKeepsStdoutAndStderrApart() {
        CommandResult result = commands.run(Command.shell("echo to-out; echo to-err >&2; exit 3").build());

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.stdoutText()).isEqualTo("to-out\n");
        assertThat(result.stderrText()).isEqualTo("to-err\n");
        assertThat(result.timedOut()).isFalse();
        assertThat(result.succeeded()).isFalse();
        assertThat(result.elapsed()).isPositive();
    }

    @Test
    void passesArgumentsLiterallyWithoutAShell() {
        String argument = "a b;$HOME \"double\" 'single' `id` | tee x > y *";

        CommandResult result = commands.run(Command.of("printf", "%s", argument));

        assertThat(result.succeeded()).isTrue();
        assertThat(result.stdoutText()).isEqualTo(argument);
        assertThat(lease.resolve("x")).doesNotExist();
        assertThat(lease.resolve("y")).doesNotExist();
    }

    @Test
    void runsInTheLeaseDirectoryByDefault() throws IOException {
        CommandResult result = commands.run(Command.of("pwd"));

        assertThat(result.stdoutText().strip()).isEqualTo(lease.toRealPath().toString());
    }

    @Test
    void runsInAWorkingDirectoryRelativeToTheLease() throws IOException {
        Files.createDirectories(lease.resolve("a/b"));

        CommandResult result = commands.run(Command.builder(List.of("pwd")).workingDirectory("a/b").build());

        assertThat(result.stdoutText().strip()).isEqualTo(lease.toRealPath().resolve("a/b").toString());
    }

    @Test
    void runsAProgramGivenByARelativePathFromTheWorkingDirectory() throws IOException {
        Path script = Files.createDirectories(lease.resolve("bin")).resolve("hello.sh");
        Files.writeString(script, "#!/bin/sh\necho hello from script\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));

        CommandResult result = commands.run(Command.of("./bin/hello.sh"));

        assertThat(result.stdoutText()).isEqualTo("hello from script\n");
    }

    @Test
    void addsTheCommandsEnvironmentToTheInheritedOne() {
        Command command = Command.builder(List.of("/bin/sh", "-c", "printf '%s|%s|%s' \"$DRYDOCK_GREETING\" \"$HOME\" \"$PATH\""))
                .env("DRYDOCK_GREETING", "hello world")
                .env("HOME", "/replaced/home")
                .build();

        CommandResult result = commands.run(command);

        assertThat(result.stdoutText()).isEqualTo("hello world|/replaced/home|" + System.getenv("PATH"));
    }

    @Test
    void deliversStdinThenClosesIt() {
        CommandResult result = commands.run(Command.builder(List.of("cat")).stdin("line one\nline two\n").build());

        assertThat(result.succeeded()).isTrue();
        assertThat(result.stdoutText()).isEqualTo("line one\nline two\n");
    }

    @Test
    void pipesSeveralMebibytesThroughCatWithoutDeadlock() {
        byte[] input = new byte[8 * 1024 * 1024];
        new Random(42).nextBytes(input);
        Command command = Command.builder(List.of("cat")).stdin(input).timeout(Duration.ofMinutes(2)).build();

        CommandResult result = commands.run(command);

        assertThat(result.timedOut()).isFalse();
        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).isEqualTo(input);
    }

    @Test
    void timeoutKillsTheProcessAndEverythingItStarted() throws Exception {
        // The outer shell starts an inner shell that starts a sleep: the sleep is a grandchild.
        Command command = Command.shell("sh -c 'sleep 300 & echo $! > grandchild.pid; wait' & sleep 300; wait")
                .timeout(Duration.ofSeconds(3))
                .build();

        long start = System.nanoTime();
        CommandResult result = commands.run(command);
        Duration wall = Duration.ofNanos(System.nanoTime() - start);

        assertThat(result.timedOut()).isTrue();
        assertThat(result.succeeded()).isFalse();
        assertThat(wall).isLessThan(PROMPTLY);
        long grandchild = Long.parseLong(Files.readString(lease.resolve("grandchild.pid")).strip());
        assertThat(awaitGone(grandchild)).as("grandchild sleep %d is gone", grandchild).isTrue();
    }

    @Test
    void doesNotHangOnABackgroundProcessThatKeepsTheOutputOpen() throws Exception {
        // The final pause lets our reader block on the pipe before the shell exits, the case in which
        // only the background sleep could end the read.
        Command command = Command.shell("sleep 120 & echo $! > background.pid; echo done; sleep 0.5")
                .timeout(Duration.ofMinutes(1))
                .build();
        try {
            long start = System.nanoTime();
            CommandResult result = commands.run(command);
            Duration wall = Duration.ofNanos(System.nanoTime() - start);

            assertThat(result.succeeded()).isTrue();
            assertThat(result.stdoutText()).isEqualTo("done\n");
            assertThat(wall).isLessThan(PROMPTLY);
        } finally {
            long background = Long.parseLong(Files.readString(lease.resolve("background.pid")).strip());
            ProcessHandle.of(background).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void streamCopiesOutputToTheGivenStreamsWithoutClosingThem() {
        CloseTrackingStream out = new CloseTrackingStream();
        CloseTrackingStream err = new CloseTrackingStream();

        CommandResult result = commands.stream(Command.shell("echo to-out; echo to-err >&2; exit 4").build(), out, err);

        assertThat(out.text()).isEqualTo("to-out\n");
        assertThat(err.text()).isEqualTo("to-err\n");
        assertThat(out.closed).isFalse();
        assertThat(err.closed).isFalse();
        assertThat(result.exitCode()).isEqualTo(4);
        assertThat(result.stdout()).isEmpty();
        assertThat(result.stderr()).isEmpty();
    }

    @Test
    void streamDeliversOutputWhileTheProcessIsStillRunning() {
        // The process prints "first", then waits for a file that only the receiving stream creates on
        // seeing "first": it can finish only if output arrives while it runs.
        Path go = lease.resolve("go");
        ByteArrayOutputStream out = new ByteArrayOutputStream() {
            @Override
            public synchronized void write(byte[] b, int off, int len) {
                super.write(b, off, len);
                if (toString(StandardCharsets.UTF_8).contains("first")) {
                    createQuietly(go);
                }
            }
        };
        Command command = Command.shell("echo first; while [ ! -e go ]; do sleep 0.05; done; echo second")
                .timeout(Duration.ofSeconds(30))
                .build();

        CommandResult result = commands.stream(command, out, new ByteArrayOutputStream());

        assertThat(result.timedOut()).isFalse();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("first\nsecond\n");
    }

    @Test
    void unknownProgramIsReportedByNameAsNotFound() {
        assertThatThrownBy(() -> commands.run(Command.of("drydock-no-such-program", "arg")))
                .isInstanceOf(ProgramNotFoundException.class)
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("'drydock-no-such-program'")
                .hasMessageContaining("not found")
                .satisfies(e -> assertThat(((ProgramNotFoundException) e).field()).isEqualTo("argv"));
    }

    @Test
    void missingWorkingDirectoryIsRefusedNamingTheField() {
        assertThatThrownBy(() -> commands.run(Command.builder(List.of("touch", "ran")).workingDirectory("missing").build()))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("workingDirectory")
                .hasMessageContaining("missing");
    }

    @ParameterizedTest
    @ValueSource(strings = {"..", "../x", "a/../..", "/tmp", "link-outside", "link-outside/sub"})
    void workingDirectoryOutsideTheLeaseIsRefusedBeforeAnythingRuns(String workingDirectory) throws IOException {
        Files.createDirectories(lease.resolve("a"));
        Files.createDirectories(outside.resolve("sub"));
        Files.createSymbolicLink(lease.resolve("link-outside"), outside);

        Command command = Command.builder(List.of("touch", "drydock-ran")).workingDirectory(workingDirectory).build();

        assertThatThrownBy(() -> commands.run(command)).isInstanceOf(PathOutsideRootException.class);
        assertThat(outside.resolve("drydock-ran")).doesNotExist();
        assertThat(outside.resolve("sub/drydock-ran")).doesNotExist();
        assertThat(lease.getParent().resolve("drydock-ran")).doesNotExist();
    }

    @Test
    void symbolicLinkThatStaysInsideIsAnAcceptableWorkingDirectory() throws IOException {
        Files.createDirectories(lease.resolve("real/dir"));
        Files.createSymbolicLink(lease.resolve("alias"), Path.of("real/dir"));

        CommandResult result = commands.run(Command.builder(List.of("pwd")).workingDirectory("alias").build());

        assertThat(result.stdoutText().strip()).isEqualTo(lease.toRealPath().resolve("real/dir").toString());
    }

    private static boolean awaitGone(long pid) throws Exception {
        var handle = ProcessHandle.of(pid);
        if (handle.isPresent()) {
            try {
                handle.get().onExit().get(10, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                handle.get().destroyForcibly(); // don't leave it behind; the assertion reports the failure
                return false;
            }
        }
        return ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true);
    }

    private static void createQuietly(Path file) {
        try {
            Files.createFile(file);
        } catch (IOException e) {
            // already created by an earlier chunk
        }
    }

    private static final class CloseTrackingStream extends ByteArrayOutputStream {
        volatile boolean closed;

        @Override
        public void close() {
            closed = true;
        }

        String text() {
            return toString(StandardCharsets.UTF_8);
        }
    }
}
