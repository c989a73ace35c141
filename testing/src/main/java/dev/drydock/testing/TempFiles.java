package dev.drydock.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;

/**
 * Deletes what a test or fixture put under the temporary directory, so that running the suite leaves
 * {@code java.io.tmpdir} as it was. Where the test method or its class makes the files, JUnit's
 * {@code @TempDir} is the tool; this is for fixtures that outlive one call and delete in their
 * {@code close()}, and for trees a test empties on purpose.
 */
public final class TempFiles {
    private static final Set<PosixFilePermission> OWNER_ALL = EnumSet.of(
            PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);
    /** A process still writing into the tree (a daemon's last log line) can refill a directory once or twice. */
    private static final int ATTEMPTS = 3;

    private TempFiles() {}

    /** A new directory only this user may enter (0700) in {@code java.io.tmpdir}; its maker deletes it with {@link #deleteTree}. */
    public static Path directory(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a directory in " + System.getProperty("java.io.tmpdir") + ": " + e, e);
        }
    }

    /**
     * Deletes {@code root} and everything under it; a tree already gone is fine. Symbolic links are
     * removed as links, never followed. Directories of ours that a test made read-only or closed
     * (0500, 0000) are opened for their owner first; entries another user made in them go too (a
     * directory's owner may remove them, root anything).
     *
     * @throws UncheckedIOException naming the entry that could not be deleted and why
     */
    public static void deleteTree(Path root) {
        for (int attempt = 1; ; attempt++) {
            try {
                delete(root);
                return;
            } catch (DirectoryNotEmptyException refilled) {
                if (attempt == ATTEMPTS) {
                    throw new UncheckedIOException("cannot delete " + root + ": " + refilled.getFile()
                            + " keeps getting new entries; stop the process writing there first", refilled);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete " + root + ": " + e, e);
            }
        }
    }

    private static void delete(Path path) throws IOException {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException gone) {
            return;
        }
        if (attributes.isDirectory()) {
            openForOwner(path);
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(path)) {
                for (Path entry : entries) {
                    delete(entry);
                }
            } catch (NoSuchFileException gone) {
                return;
            }
        }
        Files.deleteIfExists(path);
    }

    private static void openForOwner(Path directory) throws IOException {
        if (Files.isReadable(directory) && Files.isWritable(directory) && Files.isExecutable(directory)) {
            return; // as it is for root always, and for a directory another user opened to us: a chmod would be refused
        }
        Set<PosixFilePermission> modes = Files.getPosixFilePermissions(directory, LinkOption.NOFOLLOW_LINKS);
        if (!modes.containsAll(OWNER_ALL)) {
            modes.addAll(OWNER_ALL);
            Files.setPosixFilePermissions(directory, modes);
        }
    }
}
