package dev.drydock.blueprint.localhost;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The rule for a local-host {@code root}: a plain absolute directory below {@code /}. Drydock
 * creates and deletes whole trees under it, so it must say exactly where, with no {@code ..} or
 * {@code .} segment to reinterpret, no control character to hide a second line in a log, and
 * never the file system's root itself.
 */
final class RootDirectory {
    private RootDirectory() {}

    static Optional<String> problem(String root) {
        if (root == null || root.isBlank()) {
            return Optional.of("required: an absolute directory, e.g. /var/lib/drydock/hosts");
        }
        if (root.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            return Optional.of("must not contain control characters such as a newline");
        }
        if (!root.startsWith("/")) {
            return Optional.of("must be an absolute path, e.g. /var/lib/drydock/hosts, was '" + root + "'");
        }
        for (String segment : root.split("/")) {
            if (segment.equals("..") || segment.equals(".")) {
                return Optional.of("must not contain '" + segment + "' segments, was '" + root + "'");
            }
        }
        if (Path.of(root).getNameCount() == 0) {
            return Optional.of("must be a directory below /, not / itself: Drydock deletes whole trees under it");
        }
        return Optional.empty();
    }
}
