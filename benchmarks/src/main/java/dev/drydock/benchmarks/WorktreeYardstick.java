package dev.drydock.benchmarks;

import dev.drydock.testing.GitRepository;
import java.nio.file.Path;

/**
 * What the warm sandcastle is measured against: the git work a working-copy lease does, run
 * directly on a bare clone of the same repository in the same directory tree, for the tags
 * {@code build-1} ... {@code build-N} that the warm phase leased (new commits to this clone).
 */
final class WorktreeYardstick {
    private WorktreeYardstick() {}

    /** Microseconds of each {@code fetch + rev-parse + worktree add}, and of each {@code worktree add} alone. */
    record Result(long[] fetchAdd, long[] add) {}

    static Result measure(Path bareClone, String repositoryUrl, int count) {
        long[] fetchAdd = new long[count];
        long[] add = new long[count];
        String[] commits = new String[count];
        for (int i = 1; i <= count; i++) {
            long start = System.nanoTime();
            String ref = "refs/bench/" + i;
            git(bareClone, "fetch", "--quiet", "--no-tags", "--no-write-fetch-head", "--", repositoryUrl, "+build-" + i + ":" + ref);
            commits[i - 1] = git(bareClone, "rev-parse", "--verify", "--quiet", ref + "^{commit}").strip();
            git(bareClone, "worktree", "add", "--detach", "--quiet", "wt-" + i, commits[i - 1]);
            fetchAdd[i - 1] = (System.nanoTime() - start) / 1000;
            git(bareClone, "worktree", "remove", "--force", "--force", "wt-" + i);
        }
        for (int i = 1; i <= count; i++) {
            long start = System.nanoTime();
            git(bareClone, "worktree", "add", "--detach", "--quiet", "wt-" + i, commits[i - 1]);
            add[i - 1] = (System.nanoTime() - start) / 1000;
            git(bareClone, "worktree", "remove", "--force", "--force", "wt-" + i);
        }
        return new Result(fetchAdd, add);
    }

    private static String git(Path dir, String... args) {
        String[] argv = new String[args.length + 4];
        argv[0] = "-c";
        argv[1] = "gc.auto=0";
        argv[2] = "-c";
        argv[3] = "advice.detachedHead=false";
        System.arraycopy(args, 0, argv, 4, args.length);
        return GitRepository.run(dir, argv);
    }
}
