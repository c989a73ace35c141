package dev.drydock.cli;

import dev.drydock.cli.commands.BlueprintCommand;
import dev.drydock.cli.commands.CompletionCommand;
import dev.drydock.cli.commands.DemoCommand;
import dev.drydock.cli.commands.ExecCommand;
import dev.drydock.cli.commands.FsCommand;
import dev.drydock.cli.commands.LeaseCommand;
import dev.drydock.cli.commands.LogsCommand;
import dev.drydock.cli.commands.MigrateCommand;
import dev.drydock.cli.commands.ReleaseCommand;
import dev.drydock.cli.commands.ResourceCommand;
import dev.drydock.cli.commands.StatusCommand;
import dev.drydock.cli.commands.TokenCommand;
import dev.drydock.cli.commands.VersionCommand;
import dev.drydock.cli.commands.WhyCommand;
import dev.drydock.core.internal.failure.DatabaseFailures;
import java.io.PrintWriter;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * {@code drydock-control}: operate Drydock. Exit codes: 0 done, 1 the operation failed, 2 bad input
 * (nothing was changed); {@code exec} exits with its command's code and uses 124-127 for its own
 * failures (see {@link ExecCommand}).
 */
@Command(name = "drydock-control", mixinStandardHelpOptions = true, versionProvider = BuildInfo.class,
        description = "Lease hosts and other resources, and operate the Drydock that hands them out.")
public final class DrydockControl implements Runnable {
    /**
     * The commands, in the order help lists them. Added to the command line by {@link #commandLine}:
     * only the one a command line names, since building picocli's model of all of them (reflection
     * over every option of every command) took about a third of a short command's time.
     */
    private static final Map<String, Class<?>> COMMANDS = commands(DemoCommand.class, MigrateCommand.class, BlueprintCommand.class,
            LeaseCommand.class, ReleaseCommand.class, WhyCommand.class, ExecCommand.class, FsCommand.class, ResourceCommand.class,
            LogsCommand.class, StatusCommand.class, TokenCommand.class, dev.drydock.cli.commands.DbCommand.class, VersionCommand.class,
            CompletionCommand.class, CommandLine.HelpCommand.class);

    public static final int FAILED = 1;
    public static final int BAD_INPUT = 2;

    @Option(names = "--db", scope = ScopeType.INHERIT, paramLabel = "JDBC_URL",
            description = "PostgreSQL to use (default: $DRYDOCK_DB_URL, else a local server kept under $DRYDOCK_HOME or ~/.drydock)")
    String db;

    private final Map<String, String> environment;
    private final PrintWriter err;
    private Session session;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private DrydockControl(Map<String, String> environment, PrintWriter err) {
        this.environment = environment;
        this.err = err;
    }

    public synchronized Session session() {
        if (session == null) {
            session = new Session(Optional.ofNullable(db), environment, err::println);
        }
        return session;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required; see drydock-control --help");
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    public static int execute(String... args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        try {
            return execute(out, err, args);
        } finally {
            // autoflush covers println only: text a command print()s (a type's fields) must not be lost at exit
            out.flush();
            err.flush();
        }
    }

    /** Runs one command line with the given output streams; returns the exit code. */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        return execute(out, err, System.getenv(), args);
    }

    /**
     * As {@link #execute(PrintWriter, PrintWriter, String...)}, with DRYDOCK_HOME and DRYDOCK_DB_URL read
     * from {@code environment} instead of this process's: so that a test can run commands in its JVM,
     * each as a user with a home of their own.
     */
    public static int execute(PrintWriter out, PrintWriter err, Map<String, String> environment, String... args) {
        DrydockControl control = new DrydockControl(environment, err);
        CommandLine cli = commandLine(control, commandNamed(args))
                .registerConverter(java.time.Duration.class, new Durations())
                .setOut(out)
                .setErr(err)
                .setExecutionExceptionHandler((e, commandLine, parsed) -> FailureReport.report(e, commandLine, control::translate));
        CommandLine.IParameterExceptionHandler usage = cli.getParameterExceptionHandler();
        // exec's own exit codes are its command's: a usage error must not look like one of them.
        cli.setParameterExceptionHandler((e, args2) -> "exec".equals(e.getCommandLine().getCommandName())
                ? usage.handleParseException(e, args2) == 0 ? 0 : ExecCommand.DRYDOCK_FAILED
                : usage.handleParseException(e, args2));
        try {
            return cli.execute(args);
        } finally {
            if (control.session != null) {
                control.session.close();
            }
        }
    }

    /** The full command tree (every command), as help and shell completion see it. */
    public static CommandLine commandLine() {
        return commandLine(new DrydockControl(Map.of(), new PrintWriter(System.err, true)), Optional.empty());
    }

    private static CommandLine commandLine(DrydockControl control, Optional<String> only) {
        CommandLine cli = new CommandLine(control);
        COMMANDS.forEach((name, type) -> {
            if (only.isEmpty() || only.get().equals(name)) {
                cli.addSubcommand(name, type);
            }
        });
        return cli;
    }

    /**
     * The command {@code args} name, when it is one of {@link #COMMANDS} and not help: the first
     * argument that is neither an option of drydock-control's nor {@code --db}'s value. Empty when
     * there is none, or when the line asks for help or is wrong: then every command is added, so
     * that help lists them all and a mistyped name gets picocli's suggestions.
     */
    static Optional<String> commandNamed(String... args) {
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--db")) {
                i++;
            } else if (!arg.startsWith("--db=")) {
                return arg.startsWith("-") || arg.equals("help") || !COMMANDS.containsKey(arg) ? Optional.empty() : Optional.of(arg);
            }
        }
        return Optional.empty();
    }

    private static Map<String, Class<?>> commands(Class<?>... types) {
        Map<String, Class<?>> byName = new java.util.LinkedHashMap<>();
        for (Class<?> type : types) {
            byName.put(type.getAnnotation(Command.class).name(), type);
        }
        return java.util.Collections.unmodifiableMap(byName);
    }

    /**
     * A database failure that reached a command without passing through Drydock's API (the task
     * queue's status view is a library of its own) said as Drydock says it, naming the database.
     */
    private synchronized RuntimeException translate(RuntimeException e) {
        // a database failure means the pool exists: asking the session for it opens nothing new
        if (session == null || !DatabaseFailures.fromTheDatabase(e)) {
            return e;
        }
        return DatabaseFailures.of(session.dataSource()).translate("run the command", e);
    }
}
