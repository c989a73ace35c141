package dev.drydock.api.spi;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The rule for a blueprint's {@code root}, the directory under which it creates and deletes whole
 * lease trees, on this machine or another: a plain absolute directory below {@code /}. It must say
 * exactly where, with no {@code ..} or {@code .} segment to reinterpret, no control character to
 * hide a second line in a log, and never the file system's root itself.
 */
public final class RootDirectory {
    private RootDirectory() {}

    /**
     * What is wrong with {@code root}, for the blueprint's {@code validate}, or empty when it
     * follows the rule; {@code example} is a good root to name in the message.
     */
    public static Optional<String> problem(String root, String example) {
        if (root == null || root.isBlank()) {
            return Optional.of("required: an absolute directory, e.g. " + example);
        }
        if (root.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            return Optional.of("must not contain control characters such as a newline");
        }
        if (!root.startsWith("/")) {
            return Optional.of("must be an absolute path, e.g. " + example + ", was '" + root + "'");
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
