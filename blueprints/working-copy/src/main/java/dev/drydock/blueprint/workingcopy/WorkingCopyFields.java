package dev.drydock.blueprint.workingcopy;

import dev.drydock.api.spi.ConfigField;
import java.util.List;

/** The working-copy configuration's fields, as {@code blueprint create --type working-copy --help} shows them. */
final class WorkingCopyFields {
    static final List<ConfigField> ALL = List.of(
            new ConfigField("repository", "text", "required: the repository to clone, " + RepositoryUrl.EXAMPLES
                    + ", or USER@HOST:PATH; never with a password in it"),
            new ConfigField("username", "text", "the user name for an HTTPS repository (default git)"),
            new ConfigField("password", "text", "a reference to the HTTPS password or token, env:NAME or file:PATH (default none)"),
            new ConfigField("privateKey", "text", "a reference to the SSH private key, env:NAME or file:PATH (default: the host's own SSH setup)"),
            new ConfigField("knownHosts", "text", "known_hosts lines for the SSH server, checked strictly (default: the host's own known hosts)"),
            new ConfigField("hostBlueprints", "list", "names of the host blueprints a clone may be leased on (default any)"),
            new ConfigField("hostAttributes", "object of text", "attributes the host lease requires (default none)"),
            new ConfigField("cacheDirectory", "text", "where the clone and the checkouts live, relative to the host lease's directory"
                    + " (default " + WorkingCopyConfig.DEFAULT_CACHE_DIRECTORY + ")"),
            new ConfigField("capacity", "whole number", "checkouts one clone holds at once, 1 to 1000 (default "
                    + WorkingCopyConfig.DEFAULT_CAPACITY + ")"),
            new ConfigField("keepIdleMinutes", "whole number", "minutes a clone with no checkouts is kept for the next lease; 0 destroys"
                    + " it at once (default 60)"),
            new ConfigField("gitTimeoutMinutes", "whole number", "minutes one clone or fetch may run before it is stopped (default 30)"));

    private WorkingCopyFields() {}
}
