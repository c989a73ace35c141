package dev.drydock.interfaces.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drydock.api.Command;
import dev.drydock.api.CommandResult;
import dev.drydock.api.InvalidRequestException;
import dev.drydock.api.PathOutsideRootException;
import dev.drydock.api.ProgramNotFoundException;
import dev.drydock.testing.Await;
import dev.drydock.testing.SshHost;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SshCommandInterfaceTest implements dev.drydock.interfaces.StdinAndProgramsContract {
    private static final Duration PROMPTLY = Duration.ofSeconds(20);

    private static SshHost host;
    private static SshConnection connection;

    @TempDir
    Path lease;

    @TempDir
    Path outside;

    private SshCommandInterface commands;

    @BeforeAll
    static void startHost() {
        host = SshHost.start();
        connection = RemoteFixtures.connect(host);
    }

    @AfterAll
    static void stopHost() {
        connection.close();
        host.close();
    }

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
        commands = new SshCommandInterface(() -> connection, lease.toString());
    }

    @Test
    void reportsExitCodeAndKeepsStdoutAndStderrApart() {
        CommandResult result = commands.run(Command.shell("echo to-out; echo to-err >&2; exit 3").build());

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.stdoutText()).isEqualTo("to-out\n");
        assertThat(result.stderrText()).isEqualTo("to-err\n");
        assertThat(result.timedOut()).isFalse();
        assertThat(result.elapsed()).isPositive();
    }

    @Test
    void passesEveryArgumentLiterally() {
        List<String> arguments = List.of("a b", "it's", "\"double\"", "$HOME", "x;y", "line1\nline2", "`id`", "*",
                "$(touch pwned)", "", "back\\slash", "'");
        List<String> argv = new ArrayList<>(List.of("printf", "%s|"));
        argv.addAll(arguments);

        CommandResult result = commands.run(Command.builder(argv).build());

        assertThat(result.succeeded()).isTrue();
        assertThat(result.stdoutText()).isEqualTo(String.join("|", arguments) + "|");
        assertThat(lease.resolve("pwned")).doesNotExist();
    }

    @Test
    void setsEnvironmentVariablesWithTheirValuesQuoted() {
        CommandResult result = commands.run(Command.builder(List.of("sh", "-c", "printf %s \"$GREETING\""))
                .env("GREETING", "hello 'world' $HOME ;x").build());

        assertThat(result.stdoutText()).isEqualTo("hello 'world' $HOME ;x");
    }

    @Test
    void refusesAnInvalidEnvironmentVariableName() {
        Command command = Command.builder(List.of("true")).env("BAD;NAME", "x").build();

        assertThatThrownBy(() -> commands.run(command))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("environment");
    }

    @Test
    void feedsStdinThenEndOfFile() {
        CommandResult result = commands.run(Command.builder(List.of("cat")).stdin("line one\nline two\n").build());

        assertThat(result.stdoutText()).isEqualTo("line one\nline two\n");
    }

    @Test
    void carriesFourMebibytesThroughStdinAndStdout() {
        byte[] input = new byte[4 * 1024 * 1024];
        new Random(7).nextBytes(input);

        CommandResult result = commands.run(Command.builder(List.of("cat")).stdin(input).build());

        assertThat(result.succeeded()).isTrue();
        assertThat(result.stdout()).isEqualTo(input);
    }

    @Test
    void runsInTheLeaseDirectoryOrARelativeWorkingDirectory() throws IOException {
        Files.createDirectories(lease.resolve("a/b"));

        CommandResult inLease = commands.run(Command.of("pwd"));
        CommandResult inSub = commands.run(Command.builder(List.of("pwd", "-P")).workingDirectory("a/./b").build());

        assertThat(inLease.stdoutText().strip()).isEqualTo(lease.toRealPath().toString());
        assertThat(inSub.stdoutText().strip()).isEqualTo(lease.toRealPath().resolve("a/b").toString());
    }

    @Test
    void refusesWorkingDirectoriesOutsideTheLease() throws IOException {
        Files.createSymbolicLink(lease.resolve("out"), outside);

        for (String escape : List.of("..", "../x", "a/../../x", "/etc")) {
            assertThatThrownBy(() -> commands.run(Command.builder(List.of("touch", "escaped")).workingDirectory(escape).build()))
                    .as(escape)
                    .isInstanceOf(PathOutsideRootException.class);
        }
        assertThatThrownBy(() -> commands.run(Command.builder(List.of("touch", "escaped")).workingDirectory("out").build()))
                .isInstanceOf(PathOutsideRootException.class)
                .hasMessageContaining("symbolic link");
        assertThat(outside.resolve("escaped")).doesNotExist();
    }

    @Test
    void reportsAMissingWorkingDirectoryAndAMissingProgram() {
        assertThatThrownBy(() -> commands.run(Command.builder(List.of("true")).workingDirectory("missing").build()))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("workingDirectory");
        assertThatThrownBy(() -> commands.run(Command.of("drydock-no-such-program")))
                .isInstanceOf(ProgramNotFoundException.class)
                .hasMessageContaining("drydock-no-such-program")
                .hasMessageContaining(host.host() + ":" + host.port());
    }

    @Test
    void streamsOutputAsItArrives() {
        // The command waits for a file that the test creates only after seeing the first line.
        Path go = lease.resolve("go");
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        OutputStream stdout = new OutputStream() {
            @Override
            public void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                seen.write(b, off, len);
                if (seen.toString(StandardCharsets.UTF_8).contains("first\n") && !Files.exists(go)) {
                    try {
                        Files.createFile(go);
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        };
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();

        CommandResult result = commands.stream(Command.shell("echo first; while [ ! -e go ]; do sleep 0.05; done;"
                + " echo second; echo problem >&2").timeout(PROMPTLY).build(), stdout, stderr);

        assertThat(result.timedOut()).isFalse();
        assertThat(result.stdout()).isEmpty();
        assertThat(seen.toString(StandardCharsets.UTF_8)).isEqualTo("first\nsecond\n");
        assertThat(stderr.toString(StandardCharsets.UTF_8)).isEqualTo("problem\n");
    }

    @Test
    void timeoutKillsTheRemoteCommandAndEverythingItStarted() throws IOException {
        long start = System.nanoTime();

        CommandResult result = commands.run(Command.shell("sleep 300 & echo $! > child.pid; echo $$ > parent.pid; sleep 300")
                .timeout(Duration.ofSeconds(2)).build());

        assertThat(result.timedOut()).isTrue();
        assertThat(result.succeeded()).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
        for (String pidFile : List.of("child.pid", "parent.pid")) {
            long pid = Long.parseLong(Files.readString(lease.resolve(pidFile)).strip());
            Await.until(pidFile + " process " + pid + " gone", PROMPTLY, () -> isGone(pid));
        }
    }

    @Test
    void returnsWhenTheCommandExitsEvenIfABackgroundProcessHoldsItsOutput() {
        CommandResult result = commands.run(Command.shell("sleep 5 & echo done").timeout(PROMPTLY).build());

        assertThat(result.timedOut()).isFalse();
        assertThat(result.exitCode()).isZero();
        assertThat(result.stdoutText()).isEqualTo("done\n");
        assertThat(result.elapsed()).isLessThan(Duration.ofSeconds(4));
    }

    @Test
    void oneConnectionServesManyCommands() {
        long loginsBefore = RemoteFixtures.acceptedLogins(host);
        try (SshConnection own = RemoteFixtures.connect(host)) {
            SshCommandInterface ownCommands = new SshCommandInterface(() -> own, lease.toString());

            for (int i = 0; i < 50; i++) {
                assertThat(ownCommands.run(Command.of("true")).succeeded()).isTrue();
            }
        }

        Await.until("sshd logged the login", PROMPTLY, () -> RemoteFixtures.acceptedLogins(host) > loginsBefore);
        assertThat(RemoteFixtures.acceptedLogins(host)).isEqualTo(loginsBefore + 1);
    }

    @Test
    void runsCommandsConcurrentlyOnOneConnection() throws Exception {
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<Future<CommandResult>> results = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                String word = "word" + i;
                results.add(pool.submit(() -> commands.run(Command.of("echo", word))));
            }
            for (int i = 0; i < results.size(); i++) {
                assertThat(results.get(i).get().stdoutText()).isEqualTo("word" + i + "\n");
            }
        }
    }

    private static boolean isGone(long pid) {
        if (!Files.exists(Path.of("/proc/" + pid))) {
            return true;
        }
        try { // a zombie awaiting its reaper is dead too
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (IOException e) {
            return true;
        }
    }
}
