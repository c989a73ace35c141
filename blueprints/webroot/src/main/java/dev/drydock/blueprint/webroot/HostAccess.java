package dev.drydock.blueprint.webroot;

import dev.drydock.api.Command;
import dev.drydock.api.CommandInterface;
import dev.drydock.api.CommandResult;
import dev.drydock.api.DrydockException;
import dev.drydock.api.FilesystemInterface;
import dev.drydock.api.InvalidRequestException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The host a webroot serves from, as its host sub-lease gives it. Commands run in the host lease's
 * directory and file paths are relative to it; {@link #relative} turns a site's absolute paths into
 * the relative ones the filesystem interface takes. A caller that learnt the directory once (a web
 * root records it at build) passes it, saving a command per use.
 */
record HostAccess(CommandInterface commands, FilesystemInterface files, Optional<String> knownLeaseDirectory) {
    /** Ample for the short programs this layer runs (probes, kill, cat); a server start returns at once too. */
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);

    HostAccess {
        Objects.requireNonNull(commands, "commands");
        Objects.requireNonNull(files, "files");
        Objects.requireNonNull(knownLeaseDirectory, "knownLeaseDirectory");
    }

    /** A host whose lease directory is learnt by asking it ({@code pwd -P}) when needed. */
    HostAccess(CommandInterface commands, FilesystemInterface files) {
        this(commands, files, Optional.empty());
    }

    /** Runs {@code argv} with this layer's timeout; a timeout is an error, any exit code is returned. */
    CommandResult run(List<String> argv) {
        CommandResult result = commands.run(Command.builder(argv).timeout(COMMAND_TIMEOUT).build());
        if (result.timedOut()) {
            throw new DrydockException("'" + argv.get(0) + "' on the host did not finish within " + COMMAND_TIMEOUT);
        }
        return result;
    }

    /** As {@link #run}, in {@code directory} (relative to the host lease's directory). */
    CommandResult runIn(String directory, List<String> argv) {
        CommandResult result = commands.run(Command.builder(argv).workingDirectory(directory).timeout(COMMAND_TIMEOUT).build());
        if (result.timedOut()) {
            throw new DrydockException("'" + argv.get(0) + "' on the host did not finish within " + COMMAND_TIMEOUT);
        }
        return result;
    }

    /** Runs a constant shell {@code script}; data reaches it only as the positional parameters {@code args}. */
    CommandResult shell(String script, String... args) {
        List<String> argv = new java.util.ArrayList<>(List.of("/bin/sh", "-c", script, "sh"));
        argv.addAll(List.of(args));
        return run(argv);
    }

    /** The host lease's directory as an absolute path without symbolic links: as known, or asked for. */
    String leaseDirectory() {
        if (knownLeaseDirectory.isPresent()) {
            return knownLeaseDirectory.get();
        }
        CommandResult pwd = run(List.of("pwd", "-P"));
        String path = pwd.stdoutText().strip();
        if (!pwd.succeeded() || !path.startsWith("/")) {
            throw new DrydockException("could not learn the host lease's directory with 'pwd -P': " + pwd.stderrText().strip());
        }
        return path;
    }

    /**
     * {@code absolute} relative to the host lease's directory, for the filesystem interface.
     *
     * @throws InvalidRequestException {@code absolute} does not lie inside that directory
     */
    String relative(String field, String absolute) {
        String base = leaseDirectory();
        if (!absolute.startsWith(base + "/")) {
            throw new InvalidRequestException(field, "'" + absolute + "' must lie inside the host lease's directory " + base
                    + ", the only place this layer may write to");
        }
        return absolute.substring(base.length() + 1);
    }
}
