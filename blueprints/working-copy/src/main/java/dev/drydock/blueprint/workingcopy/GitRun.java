package dev.drydock.blueprint.workingcopy;

import java.util.List;
import java.util.regex.Pattern;

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
    private static final Pattern WORKTREE_BEING_ADDED = Pattern.compile("bad object worktrees/[^/\\s]+/HEAD");

    boolean succeeded() {
        return exitCode == 0 && !timedOut;
    }

    /**
     * Another git command was half-way through changing the clone, so trying again shortly will do:
     * it held a lock, or it was adding a worktree (whose {@code HEAD} is a placeholder naming no
     * object until the worktree is made, which a concurrent fetch's connectivity check reports as
     * "bad object worktrees/NAME/HEAD").
     */
    boolean lostRace() {
        return !succeeded() && (stderr.contains(".lock") && (stderr.contains("File exists") || stderr.contains("Unable to create"))
                || WORKTREE_BEING_ADDED.matcher(stderr).find());
    }

    /** What a step that {@link #lostRace() lost a race} waits for, for the lease's reason. */
    String raceWaitingFor() {
        return "another git command on the clone to finish (" + reason() + ")";
    }

    /**
     * What git wrote to standard error before any advice (which follows a blank line, such as "Please
     * make sure you have the correct access rights / and the repository exists.") and hints, its lines
     * joined by "; " without their "fatal: ", or why it was stopped.
     */
    String reason() {
        if (timedOut) {
            return "it ran past its time limit and was stopped";
        }
        String said = stderr.strip().split("\n\\s*\n", 2)[0].lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("hint: "))
                .map(l -> l.startsWith("fatal: ") ? l.substring("fatal: ".length()) : l)
                .collect(java.util.stream.Collectors.joining("; "));
        return said.isEmpty() ? "git exited with " + exitCode + " and said nothing" : said;
    }
}
