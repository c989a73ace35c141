package dev.drydock.cli.commands;

import dev.drydock.api.FileEntry;
import dev.drydock.api.FilesystemInterface;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "fs", mixinStandardHelpOptions = true,
        description = "Move files through a lease's filesystem: fs ID put LOCAL REMOTE | get REMOTE LOCAL | ls [PATH].")
public final class FsCommand extends Base {
    @Parameters(index = "0", paramLabel = "ID")
    long id;

    @Parameters(index = "1", paramLabel = "put|get|ls")
    String action;

    @Parameters(index = "2..*", paramLabel = "PATHS")
    java.util.List<String> paths = java.util.List.of();

    @Override
    public Integer call() throws IOException {
        switch (action) {
            case "put" -> {
                need(2, "fs ID put LOCAL REMOTE");
                Path local = Path.of(paths.get(0));
                if (!Files.isRegularFile(local)) {
                    throw bad("no local file " + local);
                }
                FilesystemInterface fs = fs();
                try (InputStream in = Files.newInputStream(local)) {
                    fs.write(paths.get(1), in);
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
            default -> throw bad("unknown fs action '" + action + "': use put, get or ls");
        }
        return 0;
    }

    private void need(int n, String usage) {
        if (paths.size() != n) {
            throw bad("usage: " + usage);
        }
    }

    private FilesystemInterface fs() {
        return drydock().interfaceOf(id, FilesystemInterface.class);
    }
}
