package dev.drydock.cli.commands;

import dev.drydock.api.FileEntry;
import dev.drydock.api.FilesystemInterface;
import dev.drydock.interfaces.PosixModes;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "fs", mixinStandardHelpOptions = true,
        description = "Move files through a lease's filesystem: fs ID put LOCAL REMOTE | get REMOTE LOCAL | ls [PATH]"
                + " | mkdir PATH | chmod MODE PATH (MODE as 755 or rwxr-xr-x). put gives the file its local mode;"
                + " only the lease's holder (or --operator) may use it.")
public final class FsCommand extends Base {
    @Parameters(index = "0", paramLabel = "ID")
    long id;

    @Parameters(index = "1", paramLabel = "put|get|ls|mkdir|chmod")
    String action;

    @Parameters(index = "2..*", paramLabel = "PATHS")
    java.util.List<String> paths = java.util.List.of();

    @Option(names = "--operator", description = "act on a lease you do not hold, as an operator; the lease's log records your OS user")
    boolean operator;

    @Override
    public Integer call() throws IOException {
        switch (action) {
            case "put" -> {
                need(2, "fs ID put LOCAL REMOTE");
                Path local = Path.of(paths.get(0));
                if (!Files.isRegularFile(local)) {
                    throw bad("no local file " + local);
                }
                // The lease gets the local file's mode, so a 0600 secret stays 0600 there.
                Set<PosixFilePermission> mode = Files.getPosixFilePermissions(local);
                FilesystemInterface fs = fs();
                try (InputStream in = Files.newInputStream(local)) {
                    fs.write(paths.get(1), in, mode);
                }
                out().println("put " + local + " -> " + paths.get(1) + " (" + Files.size(local) + " bytes)");
            }
            case "get" -> {
                need(2, "fs ID get REMOTE LOCAL");
                Path local = Path.of(paths.get(1));
                FilesystemInterface fs = fs();
                try (InputStream in = fs.open(paths.get(0)); OutputStream outStream = Files.newOutputStream(local)) {
                    in.transferTo(outStream);
                }
                out().println("get " + paths.get(0) + " -> " + local + " (" + Files.size(local) + " bytes)");
            }
            case "ls" -> {
                if (paths.size() > 1) {
                    throw bad("usage: fs ID ls [PATH]");
                }
                for (FileEntry e : fs().list(paths.isEmpty() ? "" : paths.get(0))) {
                    out().printf("%-9s %12d  %s%n", e.kind().name().toLowerCase(java.util.Locale.ROOT), e.size(), e.path());
                }
            }
            case "mkdir" -> {
                need(1, "fs ID mkdir PATH");
                fs().createDirectories(paths.get(0));
                out().println("mkdir " + paths.get(0));
            }
            case "chmod" -> {
                need(2, "fs ID chmod MODE PATH");
                Set<PosixFilePermission> permissions = permissions(paths.get(0)); // before touching anything
                fs().setPermissions(paths.get(1), permissions);
                out().println("chmod " + PosixFilePermissions.toString(permissions) + " " + paths.get(1));
            }
            default -> throw bad("unknown fs action '" + action + "': use put, get, ls, mkdir or chmod");
        }
        return 0;
    }

    private void need(int n, String usage) {
        if (paths.size() != n) {
            throw bad("usage: " + usage);
        }
    }

    /** {@code 755} (three octal digits) or {@code rwxr-xr-x}. */
    private Set<PosixFilePermission> permissions(String mode) {
        if (mode.matches("[0-7]{3}")) {
            return PosixModes.fromBits(Integer.parseInt(mode, 8));
        }
        try {
            return PosixFilePermissions.fromString(mode);
        } catch (IllegalArgumentException e) {
            throw bad("mode '" + mode + "' is neither three octal digits (755) nor nine rwx letters (rwxr-xr-x)");
        }
    }

    private FilesystemInterface fs() {
        return held().interfaceOf(id, FilesystemInterface.class, operator);
    }
}
