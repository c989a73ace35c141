package dev.drydock.cli;

import dev.drydock.api.DrydockException;
import dev.drydock.api.InvalidRequestException;
import dev.drydock.api.LeaseNotFoundException;
import dev.drydock.api.PathOutsideRootException;
import dev.drydock.cli.commands.BlueprintCommand;
import dev.drydock.cli.commands.DemoCommand;
import dev.drydock.cli.commands.ExecCommand;
import dev.drydock.cli.commands.FsCommand;
import dev.drydock.cli.commands.LeaseCommand;
import dev.drydock.cli.commands.LogsCommand;
import dev.drydock.cli.commands.MigrateCommand;
import dev.drydock.cli.commands.ReleaseCommand;
import dev.drydock.cli.commands.ResourceCommand;
import dev.drydock.cli.commands.StatusCommand;
import dev.drydock.cli.commands.WhyCommand;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * {@code drydock-control}: operate Drydock. Exit codes: 0 done, 1 the operation failed, 2 bad input
 * (nothing was changed).
 */
@Command(name = "drydock-control", mixinStandardHelpOptions = true, version = "drydock 0.1.0",
        description = "Lease hosts and other resources, and operate the Drydock that hands them out.",
        subcommands = {DemoCommand.class, MigrateCommand.class, BlueprintCommand.class, LeaseCommand.class, ReleaseCommand.class,
                WhyCommand.class, ExecCommand.class, FsCommand.class, ResourceCommand.class, LogsCommand.class,
                StatusCommand.class, dev.drydock.cli.commands.DbCommand.class, CommandLine.HelpCommand.class})
public final class DrydockControl implements Runnable {
    public static final int FAILED = 1;
    public static final int BAD_INPUT = 2;

    @Option(names = "--db", scope = ScopeType.INHERIT, paramLabel = "JDBC_URL",
            description = "PostgreSQL to use (default: $DRYDOCK_DB_URL, else a local server kept under $DRYDOCK_HOME or ~/.drydock)")
    String db;

    private Session session;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public String dbFlag() {
        return db;
    }

    public synchronized Session session() {
        if (session == null) {
            session = new Session(Optional.ofNullable(db));
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
        DrydockControl control = new DrydockControl();
        CommandLine cli = new CommandLine(control)
                .registerConverter(java.time.Duration.class, new Durations())
                .setExecutionExceptionHandler((e, commandLine, parsed) -> report(e, commandLine));
        try {
            return cli.execute(args);
        } finally {
            if (control.session != null) {
                control.session.close();
            }
        }
    }

    private static int report(Exception e, CommandLine commandLine) {
        String name = commandLine.getCommandName();
        if (e instanceof BadInput || e instanceof InvalidRequestException || e instanceof LeaseNotFoundException
                || e instanceof PathOutsideRootException || e instanceof CommandLine.ParameterException) {
            commandLine.getErr().println(name + ": " + e.getMessage());
            return BAD_INPUT;
        }
        if (e instanceof DrydockException) {
            commandLine.getErr().println(name + ": " + e.getMessage());
            return FAILED;
        }
        commandLine.getErr().println(name + ": failed: " + e);
        return FAILED;
    }
}
