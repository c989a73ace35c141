package dev.drydock.blueprint.workingcopy;

import dev.drydock.api.spi.Progress;
import java.time.Duration;
import java.util.List;

/**
 * Turns a lease's ref into a commit of the clone. A commit id the clone already has is used as it
 * is; anything else (a branch, whose latest commit is wanted, a tag, a commit the clone lacks) is
 * fetched from the repository into a ref of the lease's own, so concurrent leases never update the
 * same ref and never wait on each other's locks.
 */
final class RefResolution {
    /** What git says when the repository has no such ref or object. */
    private static final List<String> MISSING = List.of("couldn't find remote ref", "no such remote ref", "not our ref",
            "unadvertised object", "bad object", "did not send all necessary objects");
    private static final Duration LOCK_RETRY = Duration.ofMillis(200);
    private static final Duration FETCH_RETRY = Duration.ofSeconds(5);

    /** The outcome: a commit, or the progress the step returns instead. */
    sealed interface Outcome {
        record Commit(String id) implements Outcome {}

        record Instead(Progress progress) implements Outcome {}
    }

    private RefResolution() {}

    static Outcome resolve(WorkingCopyConfig config, Git git, String ref, long leaseId) {
        if (RefName.mayBeCommit(ref)) {
            GitRun local = git.run(CloneLayout.GIT_DIR, "rev-parse", "--verify", "--quiet", ref + "^{commit}");
            if (local.succeeded()) {
                return new Outcome.Commit(local.stdout());
            }
        }
        String landing = CloneLayout.fetchRef(leaseId);
        GitRun fetch = git.run(CloneLayout.GIT_DIR, "fetch", "--quiet", "--no-tags", "--no-write-fetch-head", "--",
                "origin", "+" + ref + ":" + landing);
        if (!fetch.succeeded()) {
            if (fetch.lostRace()) {
                return instead(Progress.checkAgainIn(LOCK_RETRY, fetch.raceWaitingFor()));
            }
            if (!fetch.timedOut() && MISSING.stream().anyMatch(fetch.stderr()::contains)) {
                return instead(Progress.failed(missing(ref, config, fetch.reason())));
            }
            return instead(Progress.checkAgainIn(FETCH_RETRY, "fetching ref '" + ref + "' from " + config.repository()
                    + " failed (" + fetch.reason() + "); trying again until the lease's acquire deadline"));
        }
        GitRun commit = git.run(CloneLayout.GIT_DIR, "rev-parse", "--verify", "--quiet", landing + "^{commit}");
        if (!commit.succeeded()) {
            return instead(Progress.failed("ref '" + ref + "' in " + config.repository() + " names no commit (a tag of a tree or a"
                    + " file?); ask for a branch, a tag of a commit, or a commit id"));
        }
        return new Outcome.Commit(commit.stdout());
    }

    private static String missing(String ref, WorkingCopyConfig config, String gitSaid) {
        return "ref '" + ref + "' does not exist in " + config.repository() + " (git: " + gitSaid + "); ask for an existing branch, tag or commit"
                + (RefName.mayBeCommit(ref) && !RefName.isFullCommit(ref) ? " (an abbreviated commit id must be one the clone"
                + " already has; give the whole id)" : "");
    }

    private static Outcome instead(Progress progress) {
        return new Outcome.Instead(progress);
    }
}
