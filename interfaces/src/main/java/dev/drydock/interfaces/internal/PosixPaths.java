package dev.drydock.interfaces.internal;

import dev.drydock.api.InvalidRequestException;
import dev.drydock.api.PathOutsideRootException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;

/**
 * Lexical rules for POSIX paths, shared by the local and the remote (SFTP) interfaces and applied
 * before anything is touched. Internal to the interfaces module: not an API.
 */
public final class PosixPaths {
    private PosixPaths() {}

    /**
     * The normalised form of {@code relative}: {@code ""} for the lease's directory, otherwise names
     * joined by {@code /} without {@code .}, {@code ..} or empty names. Refuses a NUL, an absolute
     * path and a {@code ..} that climbs out.
     */
    public static String normaliseRelative(String field, String relative) {
        Objects.requireNonNull(relative, field);
        if (relative.indexOf('\0') >= 0) {
            throw new InvalidRequestException(field, "path contains a NUL character");
        }
        if (relative.startsWith("/")) {
            throw new PathOutsideRootException(relative, "an absolute path");
        }
        Deque<String> names = new ArrayDeque<>();
        for (String name : relative.split("/")) {
            if (name.isEmpty() || name.equals(".")) {
                continue;
            }
            if (name.equals("..")) {
                if (names.pollLast() == null) {
                    throw new PathOutsideRootException(relative, "'..' leaves the lease's directory");
                }
                continue;
            }
            names.addLast(name);
        }
        return String.join("/", names);
    }

    /** An absolute path with {@code .}, {@code ..} and empty names resolved lexically ({@code /..} is {@code /}). */
    public static String normaliseAbsolute(String path) {
        Deque<String> names = new ArrayDeque<>();
        for (String name : path.split("/")) {
            if (name.equals("..")) {
                names.pollLast();
            } else if (!name.isEmpty() && !name.equals(".")) {
                names.addLast(name);
            }
        }
        return "/" + String.join("/", names);
    }

    /** The parent of an absolute, normalised path; {@code /} for {@code /}. */
    public static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash <= 0 ? "/" : path.substring(0, slash);
    }

    /** {@code directory/relative}, for a normalised relative path. */
    public static String join(String directory, String relative) {
        if (relative.isEmpty()) {
            return directory;
        }
        return directory.endsWith("/") ? directory + relative : directory + "/" + relative;
    }

    /** Whether {@code path} is {@code root} or lies below it; both absolute and normalised. */
    public static boolean isInside(String path, String root) {
        return path.equals(root) || root.equals("/") || path.startsWith(root + "/");
    }
}
