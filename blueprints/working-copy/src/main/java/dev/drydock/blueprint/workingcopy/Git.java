package dev.drydock.blueprint.workingcopy;

import dev.drydock.api.Command;
import dev.drydock.api.CommandInterface;
import dev.drydock.api.CommandResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs git on a host, in the cache directory of a working-copy resource (relative to the host
 * lease's directory), as an argument vector. Every run disables what could make concurrent runs on
 * one clone wait on each other or prompt for input: automatic garbage collection and maintenance,
 * and terminal prompts. Credentials travel in the environment, never in arguments or URLs.
 */
final class Git {
    private static final List<String> QUIET_SETTINGS = List.of("-c", "gc.auto=0", "-c", "maintenance.auto=false",
            "-c", "advice.detachedHead=false");
    private final CommandInterface host;
    private final String directory;
    private final Map<String, String> environment;
    private final Duration timeout;

    Git(CommandInterface host, String directory, Map<String, String> environment, Duration timeout) {
        this.host = host;
        this.directory = directory;
        this.environment = Map.copyOf(environment);
        this.timeout = timeout;
    }

    /** Runs {@code git ARGS} in the cache directory. */
    GitRun run(String... args) {
        return in(directory, List.of(args));
    }

    /** Runs {@code git ARGS} in {@code subdirectory} of the cache directory. */
    GitRun runIn(String subdirectory, String... args) {
        return in(directory + "/" + subdirectory, List.of(args));
    }

    /** Runs a program that is not git (such as {@code mv}) in the cache directory. */
    CommandResult runProgram(String... argv) {
        return host.run(Command.builder(List.of(argv)).workingDirectory(directory).timeout(timeout).build());
    }

    private GitRun in(String workingDirectory, List<String> args) {
        List<String> argv = new ArrayList<>();
        argv.add("git");
        argv.addAll(QUIET_SETTINGS);
        argv.addAll(args);
        Command.Builder command = Command.builder(argv).workingDirectory(workingDirectory).timeout(timeout)
                .env("GIT_TERMINAL_PROMPT", "0").env("LC_ALL", "C");
        environment.forEach(command::env);
        CommandResult result = host.run(command.build());
        return new GitRun(args, result.exitCode(), result.stdoutText().strip(), result.stderrText().strip(), result.timedOut());
    }
}
