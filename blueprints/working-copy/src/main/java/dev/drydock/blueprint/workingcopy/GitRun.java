package dev.drydock.blueprint.workingcopy;

import java.util.List;

/**
 * How one git command on the host ended: its exit, its error output, and what it printed.
 *
 * @param args     the git arguments, for messages (a URL in them holds no password)
 * @param exitCode the exit code; meaningless when {@code timedOut}
 * @param stdout   standard output, trimmed
 * @param stderr   standard error, trimmed
 * @param timedOut the command ran past the timeout and was stopped
 */
record GitRun(List<String> args, int exitCode, String stdout, String stderr, boolean timedOut) {
    boolean succeeded() {
        return exitCode == 0 && !timedOut;
    }

    /** Another git command held a lock on the clone: trying again shortly will do. */
    boolean lostLockRace() {
        return !succeeded() && stderr.contains(".lock") && (stderr.contains("File exists") || stderr.contains("Unable to create"));
    }

    /** The last line git wrote to standard error (its own summary of what failed), or why it was stopped. */
    String reason() {
        if (timedOut) {
            return "it ran past its time limit and was stopped";
        }
        String[] lines = stderr.strip().split("\n");
        String last = lines[lines.length - 1].strip();
        if (last.isEmpty()) {
            return "git exited with " + exitCode + " and said nothing";
        }
        return last.startsWith("fatal: ") ? last.substring("fatal: ".length()) : last;
    }
}
