package dev.drydock.api.spi;

import dev.drydock.api.CommandInterface;
import dev.drydock.api.FilesystemInterface;
import dev.drydock.api.PathOutsideRootException;

/**
 * Interfaces of a lease narrowed to one of its directories, for a composite blueprint that hands
 * its holders a part of what it leased (a working copy's checkout, a web root's directory). Paths
 * are relative to the directory, listings say so too, and a path that would leave it by name
 * ({@code ..}, an absolute path) is refused before the underlying lease is asked; symbolic links are
 * the underlying interface's to confine.
 */
public final class Subdirectory {
    private Subdirectory() {}

    /**
     * {@code files}, rooted at {@code directory} (a path relative to {@code files}' own root).
     */
    public static FilesystemInterface files(FilesystemInterface files, String directory) {
        return new SubdirectoryFiles(files, directory);
    }

    /** {@code commands}, run in {@code directory} (relative to their own working directory) or below it. */
    public static CommandInterface commands(CommandInterface commands, String directory) {
        return new SubdirectoryCommands(commands, directory);
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
