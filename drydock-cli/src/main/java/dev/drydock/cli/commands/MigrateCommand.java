package dev.drydock.cli.commands;

import dev.drydock.core.Drydock;
import picocli.CommandLine.Command;

@Command(name = "migrate", mixinStandardHelpOptions = true, description = "Create or upgrade Drydock's tables (every command also does this).")
public final class MigrateCommand extends Base {
    @Override
    public Integer call() {
        Drydock.migrate(session().dataSource());
        out().println("schema up to date");
        return 0;
    }
}
