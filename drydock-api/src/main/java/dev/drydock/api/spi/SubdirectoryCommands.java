package dev.drydock.api.spi;

import dev.drydock.api.Command;
import dev.drydock.api.CommandInterface;
import dev.drydock.api.CommandResult;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;

/** {@link Subdirectory#commands}: a lease's command interface, run in one of its directories. */
final class SubdirectoryCommands implements CommandInterface {
    private final CommandInterface host;
    private final String directory;

    SubdirectoryCommands(CommandInterface host, String directory) {
        this.host = host;
        this.directory = directory;
    }

    @Override
    public CommandResult run(Command command) {
        return host.run(inDirectory(command));
    }

    @Override
    public CommandResult stream(Command command, InputStream stdin, OutputStream stdout, OutputStream stderr) {
        return host.stream(inDirectory(command), stdin, stdout, stderr);
    }

    private Command inDirectory(Command command) {
        String in = Subdirectory.below(directory, command.workingDirectory().orElse(""));
        return new Command(command.argv(), Optional.of(in), command.environment(), command.stdin(), command.timeout());
    }
}
