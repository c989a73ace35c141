package dev.drydock.interfaces.ssh;

import dev.drydock.api.InvalidRequestException;
import dev.drydock.api.PathOutsideRootException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;

/** Lexical rules for paths on the remote (POSIX) side: checked here, before anything is sent. */
final class RemotePaths {
    private RemotePaths() {}

    /**
     * The normalised form of {@code relative}: {@code ""} for the lease's directory, otherwise names
     * joined by {@code /} without {@code .}, {@code ..} or empty names. Refuses a NUL, an absolute
     * path and a {@code ..} that climbs out.
     */
    static String normalise(String field, String relative) {
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

    /** The lease's directory as given to an interface: absolute, normalised, without a NUL. */
    static String leaseDirectory(String leaseDirectory) {
        Objects.requireNonNull(leaseDirectory, "leaseDirectory");
        if (!leaseDirectory.startsWith("/") || leaseDirectory.indexOf('\0') >= 0) {
            throw new InvalidRequestException("leaseDirectory", "must be an absolute path on the remote host, was '"
                    + leaseDirectory + "'");
        }
        return "/" + normalise("leaseDirectory", leaseDirectory.substring(1));
    }

    /** An absolute path with {@code .}, {@code ..} and empty names resolved lexically ({@code /..} is {@code /}). */
    static String normaliseAbsolute(String path) {
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
    static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash <= 0 ? "/" : path.substring(0, slash);
    }

    /** {@code directory/relative}, for a normalised relative path. */
    static String join(String directory, String relative) {
        if (relative.isEmpty()) {
            return directory;
        }
        return directory.endsWith("/") ? directory + relative : directory + "/" + relative;
    }

    /** Whether {@code path} is {@code root} or lies below it; both absolute and normalised. */
    static boolean isInside(String path, String root) {
        return path.equals(root) || root.equals("/") || path.startsWith(root + "/");
    }
}
