package dev.drydock.blueprint.workingcopy;

import dev.drydock.api.PathOutsideRootException;
import java.util.Optional;

/**
 * Paths below a directory: relative, with no {@code .} or {@code ..} segment and no control
 * character. A working-copy lease's paths are joined to its checkout's directory with it, so a path
 * never reaches the clone or another lease's checkout by name.
 */
final class RelativePath {
    private RelativePath() {}

    static Optional<String> problem(String path) {
        if (path == null || path.isEmpty()) {
            return Optional.of("must be a relative directory such as working-copy");
        }
        if (path.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            return Optional.of("must not contain control characters such as a newline");
        }
        if (path.startsWith("/")) {
            return Optional.of("must be relative, was '" + path + "'");
        }
        for (String segment : path.split("/", -1)) {
            if (segment.equals("..") || segment.equals(".")) {
                return Optional.of("must not contain '" + segment + "' segments, was '" + path + "'");
            }
        }
        return Optional.empty();
    }

    /**
     * {@code path} (relative to {@code root}; empty for {@code root} itself) as a path relative to
     * {@code root}'s parent directory.
     *
     * @throws PathOutsideRootException the path is absolute or has a {@code ..} segment
     */
    static String below(String root, String path) {
        if (path.isEmpty()) {
            return root;
        }
        String trimmed = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        if (trimmed.startsWith("/")) {
            throw new PathOutsideRootException(path, "it is absolute");
        }
        for (String segment : trimmed.split("/", -1)) {
            if (segment.equals("..")) {
                throw new PathOutsideRootException(path, "it has a '..' segment");
            }
        }
        return trimmed.isEmpty() || trimmed.equals(".") ? root : root + "/" + trimmed;
    }
}
