package dev.drydock.interfaces.local;

import dev.drydock.api.Command;
import dev.drydock.api.CommandInterface;
import dev.drydock.api.CommandResult;
import dev.drydock.api.DrydockException;
import dev.drydock.api.InvalidRequestException;
import dev.drydock.api.ProgramNotFoundException;
import dev.drydock.api.ProgramNotRunnableException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs commands as child processes of this JVM, in the lease's directory.
 *
 * <p>Guarantees: {@code argv} reaches the program exactly as given, never through a shell; the
 * working directory is the lease's directory or a directory inside it (escapes are refused with
 * {@link dev.drydock.api.PathOutsideRootException}, a missing one with an
 * {@link InvalidRequestException} on {@code workingDirectory}); the environment is this JVM's plus the
 * command's, with {@code PWD} set to the working directory; stdin is written then closed; stdout and
 * stderr are drained concurrently; on timeout the process and its descendants are killed. A program
 * that does not exist raises {@link ProgramNotFoundException}, one that is a directory or not
 * executable {@link ProgramNotRunnableException}; neither message shows this JVM's {@code PATH}.
 * A program name without {@code /} is
 * looked up on this JVM's {@code PATH}, not on a {@code PATH} set in the command's environment.
 *
 * <p>Output still held open by a background process after the command itself exited is collected
 * for two more seconds and then abandoned, so such a process cannot hang the call.
 * Thread-safe: calls share no mutable state.
 */
public final class LocalCommandInterface implements CommandInterface {
    private static final Logger log = LoggerFactory.getLogger(LocalCommandInterface.class);

    private final LeaseRoot root;

    /** @param leaseDirectory the lease's directory; must exist */
    public LocalCommandInterface(Path leaseDirectory) {
        this.root = new LeaseRoot(leaseDirectory);
    }

    @Override
    public CommandResult run(Command command) {
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        ProcessRun.Outcome outcome = execute(command, ProcessRun.NO_INPUT, stdout, stderr);
        return new CommandResult(outcome.exitCode(), stdout.toByteArray(), stderr.toByteArray(),
                outcome.elapsed(), outcome.timedOut());
    }

    @Override
    public CommandResult stream(Command command, OutputStream stdout, OutputStream stderr) {
        return stream(command, ProcessRun.NO_INPUT, stdout, stderr);
    }

    @Override
    public CommandResult stream(Command command, InputStream stdin, OutputStream stdout, OutputStream stderr) {
        Objects.requireNonNull(stdin, "stdin");
        Objects.requireNonNull(stdout, "stdout");
        Objects.requireNonNull(stderr, "stderr");
        ProcessRun.Outcome outcome = execute(command, stdin, stdout, stderr);
        return new CommandResult(outcome.exitCode(), new byte[0], new byte[0], outcome.elapsed(), outcome.timedOut());
    }

    private ProcessRun.Outcome execute(Command command, InputStream stdin, OutputStream stdout, OutputStream stderr) {
        Objects.requireNonNull(command, "command");
        requireNoNul(command.argv());
        Path directory = workingDirectory(command);
        ProcessBuilder builder = new ProcessBuilder(command.argv()).directory(directory.toFile());
        applyEnvironment(builder.environment(), directory, command.environment());
        long startNanos = System.nanoTime();
        Process process = start(builder, command, directory);
        log.debug("Started {} as pid {} in {}", command, process.pid(), directory);
        ProcessRun.Outcome outcome = ProcessRun.await(process, startNanos, command, stdin, stdout, stderr);
        log.debug("{} (pid {}) ended: {}", command, process.pid(), outcome);
        return outcome;
    }

    private Path workingDirectory(Command command) {
        if (command.workingDirectory().isEmpty()) {
            return root.directory();
        }
        String relative = command.workingDirectory().get();
        Path directory = root.resolve("workingDirectory", relative);
        if (!Files.isDirectory(directory)) {
            throw new InvalidRequestException("workingDirectory", "'" + relative + "' "
                    + (Files.exists(directory) ? "is not a directory" : "does not exist") + " in the lease's directory");
        }
        return directory;
    }

    private static void requireNoNul(List<String> argv) {
        for (int i = 0; i < argv.size(); i++) {
            if (argv.get(i).indexOf('\0') >= 0) {
                throw new InvalidRequestException("argv", "argument " + i + " contains a NUL character");
            }
        }
    }

    private static void applyEnvironment(Map<String, String> target, Path directory, Map<String, String> added) {
        // The inherited PWD names this JVM's directory; a shell would otherwise report it to the child.
        target.put("PWD", directory.toString());
        try {
            target.putAll(added);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("environment", e.getMessage());
        }
    }

    private static Process start(ProcessBuilder builder, Command command, Path directory) {
        try {
            return builder.start();
        } catch (IOException e) {
            String program = command.argv().get(0);
            // Never the JDK's message: it would print this JVM's PATH to whoever runs the command.
            DrydockException refused = switch (ProgramLocator.find(program, directory)) {
                case MISSING -> new ProgramNotFoundException(program, ProgramLocator.describeSearch(program));
                case DIRECTORY -> new ProgramNotRunnableException(program, "is a directory");
                case NOT_EXECUTABLE -> new ProgramNotRunnableException(program, "is not executable (chmod +x it)");
                case RUNNABLE -> new DrydockException("could not start program '" + program + "' for " + command
                        + ": the operating system refused it (" + reason(e) + ")");
            };
            refused.initCause(e);
            throw refused;
        }
    }

    // "Cannot run program "x" (in directory "d"): error=8, Exec format error" -> "Exec format error"
    private static String reason(IOException e) {
        String message = String.valueOf(e.getMessage());
        int error = message.lastIndexOf(", ");
        return error >= 0 ? message.substring(error + 2) : "no reason given";
    }
}
