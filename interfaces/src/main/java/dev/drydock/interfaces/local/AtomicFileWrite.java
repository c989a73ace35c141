package dev.drydock.interfaces.local;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.channels.Channels;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Replaces a file's content all at once: readers see the old file or the new one, never a partial
 * write, and a failed write leaves the old file as it was. Not durable across a power loss (no
 * fsync); the point is atomicity for concurrent readers, cheaply. With a mode, the file is created
 * with no more than that mode and then given exactly it, so it is never wider, even half written.
 */
final class AtomicFileWrite {
    /** Produces the new content. */
    @FunctionalInterface
    interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    private AtomicFileWrite() {}

    static void replace(Path target, Content content) throws IOException {
        replace(target, content, Optional.empty());
    }

    /** @param mode the file's mode, or empty to keep a replaced file's (a new one gets the default) */
    static void replace(Path target, Content content, Optional<Set<PosixFilePermission>> mode) throws IOException {
        // Same directory, so the final rename cannot cross filesystems.
        Path temp = target.resolveSibling(".drydock-" + UUID.randomUUID() + ".tmp");
        try {
            // CREATE_NEW with default permissions (umask applies), unlike createTempFile's 0600; with
            // a mode, created with it (umask may only narrow it) so it is never readable wider.
            try (OutputStream out = Channels.newOutputStream(Files.newByteChannel(temp,
                    EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                    mode.map(PosixFilePermissions::asFileAttribute).stream().toArray(java.nio.file.attribute.FileAttribute[]::new)))) {
                content.writeTo(out);
            }
            if (mode.isPresent()) {
                Files.setPosixFilePermissions(temp, mode.get());
            } else {
                keepPermissions(target, temp);
            }
            move(temp, target);
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    // A replaced script should stay executable.
    private static void keepPermissions(Path target, Path temp) throws IOException {
        if (Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)
                && Files.getFileAttributeView(target, PosixFileAttributeView.class) != null) {
            Files.setPosixFilePermissions(temp, Files.getPosixFilePermissions(target));
        }
    }

    private static void move(Path temp, Path target) throws IOException {
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
