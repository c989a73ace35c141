package dev.drydock.cli.commands;

import dev.drydock.api.Command;
import dev.drydock.api.CommandInterface;
import dev.drydock.api.CommandResult;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@picocli.CommandLine.Command(name = "exec", mixinStandardHelpOptions = true,
        description = "Run a command through a lease's command interface: exec ID [--timeout D] -- ARGV...; exits with its exit code.")
public final class ExecCommand extends Base {
    @Parameters(index = "0", paramLabel = "ID")
    long id;

    @Parameters(index = "1..*", paramLabel = "ARGV", description = "program and arguments, passed as they are (no shell)")
    List<String> argv;

    @Option(names = "--timeout", description = "kill it after this, e.g. 5m (default 10m)")
    Duration timeout;

    @Override
    public Integer call() {
        if (argv == null || argv.isEmpty()) {
            throw bad("give the command after --, e.g. drydock-control exec " + id + " -- uname -a");
        }
        CommandInterface commands = drydock().interfaceOf(id, CommandInterface.class);
        Command.Builder command = Command.builder(argv);
        if (timeout != null) {
            command.timeout(timeout);
        }
        CommandResult result = commands.stream(command.build(), System.out, System.err);
        System.out.flush();
        System.err.flush();
        if (result.timedOut()) {
            err().println("exec: killed after " + (timeout == null ? Command.DEFAULT_TIMEOUT : timeout) + " (timeout)");
            return 124;
        }
        return result.exitCode();
    }
}
