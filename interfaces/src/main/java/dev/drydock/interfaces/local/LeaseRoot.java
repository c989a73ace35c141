package dev.drydock.interfaces.local;

import dev.drydock.api.DrydockException;
import dev.drydock.api.InvalidRequestException;
import dev.drydock.api.PathOutsideRootException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.Deque;
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
    /** Same bound as Linux's MAXSYMLINKS: deeper chains are loops or abuse. */
    private static final int MAX_LINKS = 40;

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

    /**
     * The normalised form of {@code relative}: {@code ""} for the root, otherwise names separated by
     * {@code /} with no {@code .} or {@code ..}; refuses anything that is not a relative path staying
     * inside the root by its spelling alone.
     */
    static String normalise(String field, String relative) {
        Objects.requireNonNull(relative, field);
        if (relative.indexOf('\0') >= 0) {
            throw new InvalidRequestException(field, "path contains a NUL character");
        }
        Path path;
        try {
            path = Path.of(relative);
        } catch (InvalidPathException e) {
            throw new InvalidRequestException(field, "'" + relative + "' is not a valid path: " + e.getReason());
        }
        if (path.isAbsolute()) {
            throw new PathOutsideRootException(relative, "an absolute path");
        }
        Path normal = path.normalize();
        if (!normal.toString().isEmpty() && normal.getName(0).toString().equals("..")) {
            throw new PathOutsideRootException(relative, "'..' leaves the lease's directory");
        }
        return normal.toString();
    }

    /** Where {@code relative} leads, following every symbolic link, including a final one. */
    Path resolve(String field, String relative) {
        String normal = normalise(field, relative);
        return confined(relative, follow(field, normal, relative));
    }

    /**
     * Where {@code relative} leads without following its final name: the parent is resolved through
     * links, the last name is kept as it is, so a symbolic link names the link itself.
     */
    Path resolveNoFollow(String field, String relative) {
        String normal = normalise(field, relative);
        if (normal.isEmpty()) {
            return directory;
        }
        Path path = Path.of(normal);
        String parent = path.getParent() == null ? "" : path.getParent().toString();
        return confined(relative, follow(field, parent, relative)).resolve(path.getFileName().toString());
    }

    /**
     * Checks again, after directories were created for {@code relative}, that {@code existing} still
     * really lies inside the root; narrows the window in which a link swapped in could redirect a write.
     */
    void requireStillInside(String relative, Path existing) {
        try {
            confined(relative, existing.toRealPath());
        } catch (IOException e) {
            throw new DrydockException("cannot resolve '" + relative + "' in the lease's directory: " + e.getMessage(), e);
        }
    }

    private Path confined(String relative, Path real) {
        if (!real.startsWith(directory)) {
            throw new PathOutsideRootException(relative, "it leads to '" + real + "' through a symbolic link");
        }
        return real;
    }

    // Resolves name by name like realpath(3), but tolerates a missing tail: once a name does not
    // exist nothing below it can be a link, so the rest is appended and judged by its spelling.
    private Path follow(String field, String normal, String original) {
        Deque<String> names = new ArrayDeque<>();
        pushFront(names, Path.of(normal));
        Path current = directory;
        int links = 0;
        while (!names.isEmpty()) {
            String name = names.removeFirst();
            if (name.isEmpty() || name.equals(".")) {
                continue;
            }
            if (name.equals("..")) {
                current = current.getParent() == null ? current : current.getParent();
                continue;
            }
            Path next = current.resolve(name);
            BasicFileAttributes attributes = attributesOrNull(next);
            if (attributes == null) {
                return appendAll(next, names).normalize();
            }
            if (attributes.isSymbolicLink()) {
                if (++links > MAX_LINKS) {
                    throw new InvalidRequestException(field, "'" + original + "' has too many levels of symbolic links");
                }
                Path target = readLink(next);
                pushFront(names, target);
                if (target.isAbsolute()) {
                    current = target.getRoot();
                }
                continue;
            }
            current = next;
        }
        return current;
    }

    private static BasicFileAttributes attributesOrNull(Path path) {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            // Missing, or under a file, or unsearchable: the OS cannot follow a link there either.
            return null;
        }
    }

    private static Path readLink(Path link) {
        try {
            return Files.readSymbolicLink(link);
        } catch (IOException e) {
            throw new DrydockException("cannot read symbolic link '" + link + "': " + e.getMessage(), e);
        }
    }

    private static void pushFront(Deque<String> names, Path path) {
        for (int i = path.getNameCount() - 1; i >= 0; i--) {
            names.addFirst(path.getName(i).toString());
        }
    }

    private static Path appendAll(Path path, Deque<String> names) {
        Path result = path;
        for (String name : names) {
            result = result.resolve(name);
        }
        return result;
    }
}
