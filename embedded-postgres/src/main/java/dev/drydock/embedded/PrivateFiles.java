package dev.drydock.embedded;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Directories only the current user may enter (0700) and secret files only they may read (0600),
 * created with those modes from the start so there is no moment when they are open to others.
 */
public final class PrivateFiles {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Set<PosixFilePermission> OPEN_TO_OTHERS_WRITE = Set.of(
            PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE);

    private PrivateFiles() {}

    /**
     * Creates {@code dir} (and missing parents) as 0700, or accepts an existing one if the current user
     * owns it and neither group nor others may write to it.
     *
     * @throws UnsafeDirectoryException if it exists and is not safe to keep programs or secrets in
     */
    public static Path directory(Path dir) {
        try {
            if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectories(dir.toAbsolutePath().getParent());
                try {
                    Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                } catch (FileAlreadyExistsException raced) {
                    // Another process created it a moment ago: check it like any existing one.
                }
            }
            verify(dir);
            return dir;
        } catch (IOException e) {
            throw new EmbeddedPostgresException("cannot create " + dir + ": " + e.getMessage()
                    + " (choose a directory you can write to)", e);
        }
    }

    /** Like {@link #directory}, but an existing directory must also be closed to group and others (exactly 0700). */
    public static Path strictDirectory(Path dir) {
        directory(dir);
        Set<PosixFilePermission> modes = permissions(dir);
        if (!modes.equals(PosixFilePermissions.fromString("rwx------"))) {
            throw new UnsafeDirectoryException(dir + " has mode " + PosixFilePermissions.toString(modes)
                    + ", not rwx------: remove it (or chmod 700 it) and run again");
        }
        return dir;
    }

    /** Checks {@code path} (a directory, not followed if a link) is ours and not writable by group or others. */
    static void verify(Path path) {
        if (Files.isSymbolicLink(path)) {
            throw new UnsafeDirectoryException(path + " is a symbolic link: a private directory must be a real one; remove the link");
        }
        if (!Files.isDirectory(path)) {
            throw new UnsafeDirectoryException(path + " is not a directory: remove it or choose another place");
        }
        verifyEntry(path);
    }

    /** Checks every file and directory under {@code root} (links not followed): ours, not group/world writable. */
    static void verifyTree(Path root) {
        try (Stream<Path> all = Files.walk(root)) {
            all.forEach(PrivateFiles::verifyEntry);
        } catch (IOException e) {
            throw new EmbeddedPostgresException("cannot check " + root + ": " + e.getMessage(), e);
        }
    }

    private static void verifyEntry(Path path) {
        try {
            int owner = (Integer) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS);
            if (owner != CurrentUser.uid()) {
                throw new UnsafeDirectoryException(path + " belongs to uid " + owner + ", not to the current user (uid "
                        + CurrentUser.uid() + "): remove it, or set DRYDOCK_HOME to a directory of your own");
            }
            if (!Files.isSymbolicLink(path)) {
                Set<PosixFilePermission> modes = permissions(path);
                if (modes.stream().anyMatch(OPEN_TO_OTHERS_WRITE::contains)) {
                    throw new UnsafeDirectoryException(path + " may be written by other users (mode " + PosixFilePermissions.toString(modes)
                            + "): remove it, or chmod go-w it if you trust its contents");
                }
            }
        } catch (IOException e) {
            throw new EmbeddedPostgresException("cannot check " + path + ": " + e.getMessage(), e);
        }
    }

    private static Set<PosixFilePermission> permissions(Path path) {
        try {
            return Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw new EmbeddedPostgresException("cannot read the mode of " + path + ": " + e.getMessage(), e);
        }
    }

    /** The effective uid of this process, whose directories count as private. */
    public static int currentUid() {
        return CurrentUser.uid();
    }

    /** A new random secret: 32 URL-safe characters (192 bits), safe in a URL, a file or SQL quotes. */
    public static String newSecret() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Writes {@code secret} to {@code file} as 0600, replacing it atomically (never readable by others, even briefly). */
    public static void writeSecret(Path file, String secret) {
        try {
            Path temp = Files.createTempFile(file.toAbsolutePath().getParent(), "." + file.getFileName(), ".tmp");
            try {
                Files.writeString(temp, secret + "\n", StandardCharsets.UTF_8);
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            throw new EmbeddedPostgresException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** Reads a secret written by {@link #writeSecret}. */
    public static String readSecret(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new EmbeddedPostgresException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** An empty 0600 file, e.g. a log that may one day hold something private. */
    static void privateFile(Path file) {
        try {
            if (!Files.exists(file)) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            }
        } catch (FileAlreadyExistsException raced) {
            // created by another process a moment ago
        } catch (IOException e) {
            throw new EmbeddedPostgresException("cannot create " + file + ": " + e.getMessage(), e);
        }
    }

    /** Deletes a directory tree; used for throw-away data directories and failed unpacks. */
    public static void deleteTree(Path root) {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new EmbeddedPostgresException("cannot delete " + root + ": " + e.getMessage(), e);
        }
    }
}
