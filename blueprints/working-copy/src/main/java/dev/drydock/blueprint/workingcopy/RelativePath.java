package dev.drydock.blueprint.workingcopy;

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
}
