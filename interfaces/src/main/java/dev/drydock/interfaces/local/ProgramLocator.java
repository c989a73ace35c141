package dev.drydock.interfaces.local;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Tells why a program could not be started where the JDK's process launcher looks for it, so that a
 * failed start is reported as "not found" only when that is really the reason, and as "not
 * executable" or "a directory" when the file is there.
 */
final class ProgramLocator {
    // The launcher searches the JVM's own PATH (not one set in the command's environment) and falls
    // back to this when PATH is unset.
    private static final String DEFAULT_PATH = "/bin:/usr/bin";

    /** What is where the launcher looked. */
    enum Found { MISSING, DIRECTORY, NOT_EXECUTABLE, RUNNABLE }

    private ProgramLocator() {}

    static Found find(String program, Path workingDirectory) {
        if (program.contains("/")) {
            return look(workingDirectory.resolve(program));
        }
        Found best = Found.MISSING;
        for (String directory : searchPath().split(":", -1)) {
            // The child changes directory before exec, so relative entries are relative to it.
            Found here = look(workingDirectory.resolve(directory).resolve(program));
            if (here == Found.RUNNABLE) {
                return here;
            }
            // Like execvp: a file that is there but cannot be run is the better explanation.
            best = here.compareTo(best) > 0 ? here : best;
        }
        return best;
    }

    private static Found look(Path file) {
        if (Files.isDirectory(file)) {
            return Found.DIRECTORY;
        }
        if (!Files.exists(file)) {
            return Found.MISSING;
        }
        return Files.isExecutable(file) ? Found.RUNNABLE : Found.NOT_EXECUTABLE;
    }

    /** Where {@link #find} looked, for an error message; never the PATH itself, which is this JVM's business. */
    static String describeSearch(String program) {
        return program.contains("/")
                ? "(a name with '/' is relative to the working directory in the lease)"
                : "on the PATH of the host (a name without '/' is looked up there)";
    }

    private static String searchPath() {
        return Objects.requireNonNullElse(System.getenv("PATH"), DEFAULT_PATH);
    }
}
