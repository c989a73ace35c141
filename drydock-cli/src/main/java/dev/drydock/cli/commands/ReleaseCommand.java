package dev.drydock.cli.commands;

import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "release", mixinStandardHelpOptions = true, description = "Release leases (as an operator).")
public final class ReleaseCommand extends Base {
    @Parameters(paramLabel = "ID", arity = "1..*")
    List<Long> ids;

    @Override
    public Integer call() {
        for (long id : ids) {
            drydock().allocator().find(id).orElseThrow(() -> new dev.drydock.api.LeaseNotFoundException(id));
        }
        for (long id : ids) {
            drydock().releaseLease(id);
            out().println("released lease " + id);
        }
        return 0;
    }
}
