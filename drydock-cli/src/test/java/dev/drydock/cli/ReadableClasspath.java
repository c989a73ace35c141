package dev.drydock.cli;

import dev.drydock.testing.TempFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A copy of the test's classpath that every local user can read, so that drydock-control can run as
 * another OS user ({@code runuser -u nobody}): the jars live in the Maven repository under
 * {@code /root}, which only root may enter. Directories 0755, files 0644; deleted with {@link #delete}.
 */
final class ReadableClasspath {
    private final Path directory;
    private final String classpath;

    ReadableClasspath(String classpath) {
        try {
            directory = Files.createTempDirectory("drydock-cp");
            Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
            List<String> copies = new ArrayList<>();
            int n = 0;
            for (String entry : classpath.split(java.io.File.pathSeparator)) {
                Path source = Path.of(entry);
                if (!Files.exists(source)) {
                    continue;
                }
                Path copy = directory.resolve((n++) + "-" + source.getFileName());
                copyReadable(source, copy);
                copies.add(copy.toString());
            }
            this.classpath = String.join(java.io.File.pathSeparator, copies);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String classpath() {
        return classpath;
    }

    void delete() {
        TempFiles.deleteTree(directory);
    }

    private static void copyReadable(Path source, Path target) throws IOException {
        if (!Files.isDirectory(source)) {
            Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES);
            Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r--r--"));
            return;
        }
        try (Stream<Path> tree = Files.walk(source)) {
            for (Path p : tree.toList()) {
                Path to = target.resolve(source.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                    Files.setPosixFilePermissions(to, PosixFilePermissions.fromString("rwxr-xr-x"));
                } else {
                    Files.copy(p, to);
                    Files.setPosixFilePermissions(to, PosixFilePermissions.fromString("rw-r--r--"));
                }
            }
        }
    }
}
