package dev.drydock.blueprint.workingcopy;

import dev.drydock.api.CommandInterface;
import dev.drydock.api.FilesystemInterface;
import dev.drydock.api.spi.ResourceContext;
import dev.drydock.api.spi.SubLease;
import java.util.Optional;

/**
 * A working-copy resource's access to its host through the host sub-lease: commands, files, and git
 * run in the cache directory with the repository's credentials, and the host lease's directory as an
 * absolute path when its blueprint recorded it.
 */
record OnHost(long hostLeaseId, Optional<String> hostDirectory, CommandInterface commands, FilesystemInterface files, CloneLayout layout, Git git) {
    /** The sub-lease's name on the working-copy resource. */
    static final String HOST = "host";
    /** The host lease attribute that host blueprints record its directory in, as an absolute path. */
    static final String HOST_DIRECTORY = "directory";

    /** Access through an ACTIVE host sub-lease; creates the cache directory if it is missing. */
    static OnHost of(WorkingCopyConfig config, ResourceContext resource, SubLease host) {
        CommandInterface commands = host.getInterface(CommandInterface.class);
        FilesystemInterface files = host.getInterface(FilesystemInterface.class);
        CloneLayout layout = new CloneLayout(config.cacheDirectoryOrDefault());
        files.createDirectories(layout.cache());
        Git git = new Git(commands, layout.cache(), Credentials.environment(config, resource, commands, files, layout.cache()),
                config.gitTimeout());
        return new OnHost(host.id(), Optional.ofNullable(host.leaseAttributes().get(HOST_DIRECTORY)), commands, files, layout, git);
    }
}
