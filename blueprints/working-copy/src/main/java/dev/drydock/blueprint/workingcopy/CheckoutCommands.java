package dev.drydock.blueprint.workingcopy;

import dev.drydock.api.Command;
import dev.drydock.api.CommandInterface;
import dev.drydock.api.CommandResult;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;

/**
 * A working-copy lease's commands: the host lease's command interface, run in the lease's checkout.
 * A command's working directory is taken relative to the checkout and refused if it would leave it
 * by name ({@code ..}, an absolute path).
 */
final class CheckoutCommands implements CommandInterface {
    private final CommandInterface host;
    private final String checkout;

    CheckoutCommands(CommandInterface host, String checkout) {
        this.host = host;
        this.checkout = checkout;
    }

    @Override
    public CommandResult run(Command command) {
        return host.run(inCheckout(command));
    }

    @Override
    public CommandResult stream(Command command, InputStream stdin, OutputStream stdout, OutputStream stderr) {
        return host.stream(inCheckout(command), stdin, stdout, stderr);
    }

    private Command inCheckout(Command command) {
        String directory = RelativePath.below(checkout, command.workingDirectory().orElse(""));
        return new Command(command.argv(), Optional.of(directory), command.environment(), command.stdin(), command.timeout());
    }
}
