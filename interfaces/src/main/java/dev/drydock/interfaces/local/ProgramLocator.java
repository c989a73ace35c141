package dev.drydock.interfaces.local;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Tells whether a program exists where the JDK's process launcher looks for it, so that a failed
 * start can be reported as "not found" only when that is really the reason.
 */
final class ProgramLocator {
    // The launcher searches the JVM's own PATH (not one set in the command's environment) and falls
    // back to this when PATH is unset.
    private static final String DEFAULT_PATH = "/bin:/usr/bin";

    private ProgramLocator() {}

    static boolean exists(String program, Path workingDirectory) {
        if (program.contains("/")) {
            return Files.isRegularFile(workingDirectory.resolve(program));
        }
        for (String directory : searchPath().split(":", -1)) {
            // The child changes directory before exec, so relative entries are relative to it.
            if (Files.isRegularFile(workingDirectory.resolve(directory).resolve(program))) {
                return true;
            }
        }
        return false;
    }

    /** Where {@link #exists} looked, for an error message. */
    static String describeSearch(String program, Path workingDirectory) {
        return program.contains("/")
                ? "(resolved against the working directory '" + workingDirectory + "')"
                : "on this JVM's PATH (" + searchPath() + ")";
    }

    private static String searchPath() {
        return Objects.requireNonNullElse(System.getenv("PATH"), DEFAULT_PATH);
    }
}
