package dev.drydock.cli;

import dev.drydock.testing.JavaProcess;
import dev.drydock.testing.TempFiles;
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
        return start(main, List.of(args)).finish(limit);
    }

    /**
     * Runs {@code main} once for each list of arguments, all at once (independent processes, each
     * mostly a JVM starting), and gives their results in the same order. {@code limit} applies to
     * each, counted from when they all started.
     */
    static List<Result> runAll(Class<?> main, Duration limit, List<List<String>> argumentLists) {
        List<Running> running = argumentLists.stream().map(args -> start(main, args)).toList();
        return running.stream().map(r -> r.finish(limit)).toList();
    }

    private static Running start(Class<?> main, List<String> args) {
        List<String> command = new ArrayList<>(List.of(JavaProcess.javaExecutable()));
        command.addAll(Launcher.jvmOptions(main));
        command.addAll(List.of("-cp", JavaProcess.classpath(), main.getName()));
        command.addAll(args);
        Path files = TempFiles.directory("program-run");
        try {
            long start = System.nanoTime();
            Process p = new ProcessBuilder(command).redirectOutput(files.resolve("out.txt").toFile())
                    .redirectError(files.resolve("err.txt").toFile()).start();
            return new Running(main.getSimpleName() + " " + args, p, files, start);
        } catch (IOException e) {
            TempFiles.deleteTree(files);
            throw new UncheckedIOException(e);
        }
    }

    /** A started program; {@link #finish} deletes the files its output went to once it has read them. */
    private record Running(String what, Process process, Path files, long startedNanos) {
        Result finish(Duration limit) {
            Path out = files.resolve("out.txt");
            Path err = files.resolve("err.txt");
            try {
                long left = limit.toNanos() - (System.nanoTime() - startedNanos);
                if (!process.waitFor(Math.max(left, 0), TimeUnit.NANOSECONDS)) {
                    process.destroyForcibly();
                    throw new AssertionError(what + " did not finish in " + limit + "; stderr so far: "
                            + Files.readString(err, StandardCharsets.UTF_8));
                }
                Duration took = Duration.ofNanos(System.nanoTime() - startedNanos);
                return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                        Files.readString(err, StandardCharsets.UTF_8), took);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            } finally {
                TempFiles.deleteTree(files);
            }
        }
    }
}
