package dev.drydock.interfaces;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drydock.api.Command;
import dev.drydock.api.CommandInterface;
import dev.drydock.api.CommandResult;
import dev.drydock.api.ProgramNotFoundException;
import dev.drydock.api.ProgramNotRunnableException;
import dev.drydock.testing.Await;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Standard input streamed from a caller ({@code echo x | drydock-control exec ID -- cat}) and the
 * three reasons a program does not start, the same for every command interface: each test class
 * that implements this runs them against its own interface on a lease directory on this machine.
 */
public interface StdinAndProgramsContract {
    CommandInterface commandInterface();

    Path leaseDirectory();

    @Test
    default void streamsStdinAfterTheCommandsOwnBytesAndEndsItWithTheStream() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        InputStream piped = new ByteArrayInputStream("from the pipe\n".getBytes(StandardCharsets.UTF_8));

        CommandResult result = commandInterface().stream(Command.builder(List.of("cat")).stdin("own bytes\n").build(),
                piped, out, new ByteArrayOutputStream());

        assertThat(result.exitCode()).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("own bytes\nfrom the pipe\n");
    }

    @Test
    default void aLineTypedReachesTheProgramBeforeTheInputEnds() throws Exception {
        Typed typed = new Typed();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Object lock = out;
        java.io.OutputStream synced = new java.io.OutputStream() {
            @Override
            public void write(int b) {
                synchronized (lock) {
                    out.write(b);
                }
            }

            @Override
            public void write(byte[] b, int off, int len) {
                synchronized (lock) {
                    out.write(b, off, len);
                }
            }
        };
        CompletableFuture<CommandResult> running = CompletableFuture.supplyAsync(
                () -> commandInterface().stream(Command.of("cat"), typed, synced, new ByteArrayOutputStream()));

        typed.type("first line\n");
        Await.until("cat echoes the first line while its input is still open", Duration.ofSeconds(20), () -> {
            synchronized (lock) {
                return out.toString(StandardCharsets.UTF_8).equals("first line\n");
            }
        });
        typed.end();

        assertThat(running.get(20, TimeUnit.SECONDS).exitCode()).isZero();
    }

    @Test
    default void aMissingProgramADirectoryAndANonExecutableFileAreToldApartWithoutThePath() throws IOException {
        Files.createDirectories(leaseDirectory().resolve("tools"));
        Files.writeString(leaseDirectory().resolve("tools/run.sh"), "#!/bin/sh\necho ran\n");
        Files.setPosixFilePermissions(leaseDirectory().resolve("tools/run.sh"), PosixFilePermissions.fromString("rw-r--r--"));
        String path = System.getenv("PATH");

        assertThatThrownBy(() -> commandInterface().run(Command.of("drydock-no-such-program")))
                .isInstanceOf(ProgramNotFoundException.class).hasMessageContaining("'drydock-no-such-program' was not found")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(path));
        assertThatThrownBy(() -> commandInterface().run(Command.of("./missing.sh")))
                .isInstanceOf(ProgramNotFoundException.class).hasMessageContaining("not found");
        assertThatThrownBy(() -> commandInterface().run(Command.of("./tools")))
                .isInstanceOf(ProgramNotRunnableException.class).hasMessageContaining("'./tools' is a directory");
        assertThatThrownBy(() -> commandInterface().run(Command.of("./tools/run.sh")))
                .isInstanceOf(ProgramNotRunnableException.class).hasMessageContaining("'./tools/run.sh' is not executable")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(path));
    }

    /** Input typed a line at a time: read blocks until a line is typed or the input ends. */
    final class Typed extends InputStream {
        private final LinkedBlockingQueue<byte[]> lines = new LinkedBlockingQueue<>();
        private byte[] current = new byte[0];
        private int at;
        private boolean ended;

        void type(String line) {
            lines.add(line.getBytes(StandardCharsets.UTF_8));
        }

        void end() {
            lines.add(new byte[0]);
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (at == current.length) {
                if (ended) {
                    return -1;
                }
                try {
                    current = lines.take();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException();
                }
                at = 0;
                if (current.length == 0) {
                    ended = true;
                    return -1;
                }
            }
            int n = Math.min(len, current.length - at);
            System.arraycopy(current, at, b, off, n);
            at += n;
            return n;
        }
    }
}
