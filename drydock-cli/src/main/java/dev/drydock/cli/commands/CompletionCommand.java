package dev.drydock.cli.commands;

import dev.drydock.cli.DrydockControl;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** Prints the shell completion script picocli generates from the full command tree. */
@Command(name = "completion", mixinStandardHelpOptions = true,
        description = {"Print a completion script for the shell: commands, options and option values.",
                "bash: source <(drydock-control completion bash), or save it under /etc/bash_completion.d/;"
                        + " zsh: autoload -U +X bashcompinit && bashcompinit, then the same."})
public final class CompletionCommand extends Base {
    @Parameters(paramLabel = "SHELL", description = "bash (zsh loads it through bashcompinit)")
    String shell;

    @Override
    public Integer call() {
        if (!shell.equals("bash") && !shell.equals("zsh")) {
            throw bad("completion is generated for bash (and zsh through bashcompinit), not " + shell);
        }
        out().print(AutoComplete.bash("drydock-control", DrydockControl.commandLine()));
        out().flush();
        return 0;
    }
}
