package dev.drydock.cli;

import dev.drydock.testing.JavaProcess;
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
 * Runs one of our mains in its own JVM, as its launcher would ({@link Launcher}), with any arguments,
 * keeping stdout and stderr apart and timing it.
 */
final class Program {
    private Program() {}

    record Result(int exitCode, String stdout, String stderr, Duration took) {
        List<String> stderrLines() {
            return stderr.lines().toList();
        }
    }

    static Result run(Class<?> main, Duration limit, String... args) {
        List<String> command = new ArrayList<>(List.of(JavaProcess.javaExecutable()));
        command.addAll(Launcher.jvmOptions(main));
        command.addAll(List.of("-cp", JavaProcess.classpath(), main.getName()));
        command.addAll(List.of(args));
        try {
            Path out = Files.createTempFile("program-out", ".txt");
            Path err = Files.createTempFile("program-err", ".txt");
            long start = System.nanoTime();
            Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(main.getSimpleName() + " " + List.of(args) + " did not finish in " + limit
                        + "; stderr so far: " + Files.readString(err, StandardCharsets.UTF_8));
            }
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8), took);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
