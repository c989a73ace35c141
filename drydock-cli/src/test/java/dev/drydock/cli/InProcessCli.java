package dev.drydock.cli;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs drydock-control in this JVM, as its main would, with captured output: a JVM per command would
 * cost more than most tests' asserts. The runs of an instance see only its DRYDOCK_HOME (and no
 * DRYDOCK_DB_URL), never this JVM's environment, so they never touch the real ~/.drydock.
 *
 * <p>What it captures is what the command prints. Not captured, so run in its own JVM ({@link Cli}):
 * the program of an {@code exec} (it is wired to the process's own stdin, stdout and stderr; in a
 * Surefire fork stdin carries Surefire's commands), and log lines (logback writes them to this JVM's
 * stderr), which a test scanning everything a user would see for leaks must include.
 */
final class InProcessCli {
    /** As long as a run in its own JVM may take: a command that hangs fails its test, not the build. */
    private static final Duration LIMIT = Duration.ofSeconds(120);

    private final List<String> leading;
    private final Map<String, String> environment;

    private InProcessCli(List<String> leading, Path home) {
        this.leading = leading;
        this.environment = Map.of("DRYDOCK_HOME", home.toString());
    }

    /** Against the database at {@code jdbcUrl} (each run starts with {@code --db}). */
    static InProcessCli against(String jdbcUrl, Path home) {
        return new InProcessCli(List.of("--db", jdbcUrl), home);
    }

    /** With no --db and no DRYDOCK_DB_URL: the local database under {@code home}, as for a user with nothing configured. */
    static InProcessCli local(Path home) {
        return new InProcessCli(List.of(), home);
    }

    Cli.Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = execute(out, err, environment, withLeading(args));
        return new Cli.Result(code, out.toString(), err.toString());
    }

    /** Stdout and stderr as one text in the order printed, as a terminal shows them, in both fields of the result. */
    Cli.Result runTogether(String... args) {
        StringWriter both = new StringWriter();
        int code = execute(both, both, environment, withLeading(args));
        return new Cli.Result(code, both.toString(), both.toString());
    }

    /** Runs the arguments as given, in this JVM's environment: for commands that need neither a database nor a home. */
    static Cli.Result runExactly(List<String> args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = execute(out, err, System.getenv(), args);
        return new Cli.Result(code, out.toString(), err.toString());
    }

    private List<String> withLeading(String... args) {
        List<String> all = new ArrayList<>(leading);
        all.addAll(List.of(args));
        return all;
    }

    private static int execute(StringWriter out, StringWriter err, Map<String, String> environment, List<String> args) {
        try (PrintWriter o = new PrintWriter(out, true); PrintWriter e = new PrintWriter(err, true)) {
            return assertTimeoutPreemptively(LIMIT, () -> DrydockControl.execute(o, e, environment, args.toArray(String[]::new)),
                    () -> "drydock-control " + args + " did not finish in " + LIMIT.toSeconds() + " s");
        }
    }
}
