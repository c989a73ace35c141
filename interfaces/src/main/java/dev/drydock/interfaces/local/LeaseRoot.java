package dev.drydock.interfaces.local;

import dev.drydock.api.DrydockException;
import dev.drydock.api.InvalidRequestException;
import dev.drydock.interfaces.internal.LinkWalk;
import dev.drydock.interfaces.internal.PosixPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;

/**
 * The lease's directory and the one place that turns a caller's relative path into a real path on
 * disk. Guarantees that every path it returns lies inside the directory's real path at the moment of
 * the check: absolute paths, {@code ..} that leaves, NUL characters and symbolic links that lead
 * outside are refused before anything is touched. Immutable and thread-safe.
 *
 * <p>It cannot guard against the directory's contents being changed by another process between the
 * check and the use; it confines callers, not a concurrent adversary on the same machine.
 */
final class LeaseRoot {
    private final Path directory;

    LeaseRoot(Path directory) {
        Objects.requireNonNull(directory, "leaseDirectory");
        if (!Files.isDirectory(directory)) {
            throw new InvalidRequestException("leaseDirectory", "'" + directory + "' is not an existing directory");
        }
        try {
            this.directory = directory.toRealPath();
        } catch (IOException e) {
            throw new InvalidRequestException("leaseDirectory", "cannot resolve '" + directory + "': " + e.getMessage());
        }
    }

    /** The real path of the lease's directory. */
    Path directory() {
        return directory;
    }

    /** Where {@code relative} leads, following every symbolic link, including a final one. */
    Path resolve(String field, String relative) {
        String normal = PosixPaths.normaliseRelative(field, relative);
        return Path.of(LinkWalk.<RuntimeException>resolveInside(directory.toString(), normal, field, relative, true, LeaseRoot::lstat));
    }

    /**
     * Where {@code relative} leads without following its final name: the parent is resolved through
     * links, the last name is kept as it is, so a symbolic link names the link itself.
     */
    Path resolveNoFollow(String field, String relative) {
        String normal = PosixPaths.normaliseRelative(field, relative);
        return Path.of(LinkWalk.<RuntimeException>resolveInside(directory.toString(), normal, field, relative, false, LeaseRoot::lstat));
    }

    /**
     * Checks again, after directories were created for {@code relative}, that {@code existing} still
     * really lies inside the root; narrows the window in which a link swapped in could redirect a write.
     */
    void requireStillInside(String relative, Path existing) {
        try {
            LinkWalk.requireInside(directory.toString(), relative, existing.toRealPath().toString());
        } catch (IOException e) {
            throw new DrydockException("cannot resolve '" + relative + "' in the lease's directory: " + e.getMessage(), e);
        }
    }

    private static LinkWalk.Entry lstat(String path) {
        Path file = Path.of(path);
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            // Missing, or under a file, or unsearchable: the OS cannot follow a link there either.
            return new LinkWalk.Entry.Missing();
        }
        if (!attributes.isSymbolicLink()) {
            return new LinkWalk.Entry.Other();
        }
        try {
            return new LinkWalk.Entry.Link(Files.readSymbolicLink(file).toString());
        } catch (IOException e) {
            throw new DrydockException("cannot read symbolic link '" + file + "': " + e.getMessage(), e);
        }
    }
}
