package dev.drydock.cli.commands;

import dev.drydock.api.Command;
import dev.drydock.api.CommandInterface;
import dev.drydock.api.CommandResult;
import dev.drydock.api.DrydockException;
import dev.drydock.api.ProgramNotFoundException;
import dev.drydock.api.ProgramNotRunnableException;
import java.time.Duration;
import java.util.List;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@picocli.CommandLine.Command(name = "exec", mixinStandardHelpOptions = true,
        description = {"Run a command through a lease's command interface: exec ID [--timeout D] -- ARGV...",
                "Standard input is passed on to it; it exits with the command's exit code. Drydock's own failures"
                        + " use codes a command rarely does, as env(1) and container runtimes do:",
                "  124  the command ran past --timeout and was killed",
                "  125  Drydock failed: no such lease, not ACTIVE, not yours (see --operator), bad arguments, database",
                "  126  the program was found but cannot run: not executable, or a directory",
                "  127  the program was not found"})
public final class ExecCommand extends Base {
    public static final int TIMED_OUT = 124;
    public static final int DRYDOCK_FAILED = 125;
    public static final int NOT_RUNNABLE = 126;
    public static final int NOT_FOUND = 127;

    @Parameters(index = "0", paramLabel = "ID")
    long id;

    @Parameters(index = "1..*", paramLabel = "ARGV", description = "program and arguments, passed as they are (no shell)")
    List<String> argv;

    @Option(names = "--timeout", description = "kill it after this, e.g. 5m (default 10m)")
    Duration timeout;

    @Option(names = "--operator", description = "run on a lease you do not hold, as an operator; the lease's log records your OS user")
    boolean operator;

    @Override
    public Integer call() {
        try {
            return run();
        } catch (ProgramNotFoundException e) {
            err().println("exec: " + e.getMessage());
            return NOT_FOUND;
        } catch (ProgramNotRunnableException e) {
            err().println("exec: " + e.getMessage());
            return NOT_RUNNABLE;
        } catch (DrydockException | CommandLine.ParameterException e) {
            err().println("exec: " + e.getMessage());
            return DRYDOCK_FAILED;
        } catch (RuntimeException e) {
            // Not one of ours: still Drydock's failure, not the command's; a library's message may quote SQL or data.
            LoggerFactory.getLogger(ExecCommand.class).debug("exec failed", e);
            err().println("exec: Drydock failed unexpectedly; rerun with DRYDOCK_LOG_LEVEL=DEBUG to see the details");
            return DRYDOCK_FAILED;
        }
    }

    private int run() {
        if (argv == null || argv.isEmpty()) {
            throw bad("give the command after --, e.g. drydock-control exec " + id + " -- uname -a");
        }
        Command.Builder command = Command.builder(argv);
        if (timeout != null) {
            command.timeout(timeout);
        }
        Command built = command.build(); // validated before the lease is touched
        CommandInterface commands = held().interfaceOf(id, CommandInterface.class, operator);
        CommandResult result = commands.stream(built, System.in, System.out, System.err);
        System.out.flush();
        System.err.flush();
        if (result.timedOut()) {
            err().println("exec: killed after " + (timeout == null ? Command.DEFAULT_TIMEOUT : timeout) + " (timeout)");
            return TIMED_OUT;
        }
        return result.exitCode();
    }
}
