package dev.drydock.blueprint.workingcopy;

import dev.drydock.api.spi.LeaseContext;
import dev.drydock.api.spi.Progress;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Optional;

/**
 * One checkout per lease: a detached worktree of the resource's clone at exactly the lease's
 * commit, in a directory of its own created {@code 0700} before git fills it. A repeated step finds
 * a checkout an earlier try finished at the recorded commit and keeps it; a half-made one is removed
 * and made again. Removal takes the worktree out of the clone's records too.
 */
final class Checkouts {
    /** The lease attribute that records the commit the checkout is at. */
    static final String COMMIT = "commit";
    /** The lease attribute that records the checkout's directory, relative to the host lease's directory. */
    static final String CHECKOUT = "checkout";
    /**
     * The lease attribute that records the checkout's absolute path on the host, when the host lease
     * says where its directory is: for a composite that hands the checkout to a program on the host.
     */
    static final String CHECKOUT_PATH = "checkout.path";
    private static final Duration LOCK_RETRY = Duration.ofMillis(200);

    private Checkouts() {}

    static Progress create(WorkingCopyConfig config, OnHost host, LeaseContext lease) {
        long leaseId = lease.lease().id();
        String ref = lease.lease().attributes().get(RefName.ATTRIBUTE);
        String name = CloneLayout.checkoutName(leaseId);
        String directory = host.layout().path(name);
        Optional<String> recorded = Optional.ofNullable(lease.lease().leaseAttributes().get(COMMIT));
        if (recorded.isPresent() && headOf(host, name).equals(recorded)) {
            return Progress.done();
        }
        RefResolution.Outcome resolved = RefResolution.resolve(config, host.git(), ref, leaseId);
        if (resolved instanceof RefResolution.Outcome.Instead instead) {
            return instead.progress();
        }
        String commit = ((RefResolution.Outcome.Commit) resolved).id();
        if (host.files().exists(directory)) {
            remove(host, leaseId, false); // a try that stopped half-way
        }
        host.files().createDirectories(directory);
        host.files().setPermissions(directory, PosixFilePermissions.fromString("rwx------"));
        GitRun add = host.git().run(CloneLayout.GIT_DIR, "worktree", "add", "--detach", "--quiet", name, commit);
        if (!add.succeeded()) {
            remove(host, leaseId, false);
            if (add.lostRace()) {
                return Progress.checkAgainIn(LOCK_RETRY, add.raceWaitingFor());
            }
            return Progress.failed("cannot check out commit " + commit + " (ref '" + ref + "') of " + config.repository() + ": " + add.reason());
        }
        lease.setAttribute(COMMIT, commit);
        lease.setAttribute(CHECKOUT, directory);
        host.hostDirectory().ifPresent(root -> lease.setAttribute(CHECKOUT_PATH, root + "/" + directory));
        lease.setAttribute("host.lease", Long.toString(host.hostLeaseId()));
        lease.log("checked out ref '" + ref + "' at commit " + commit + " in " + directory + " on host lease " + host.hostLeaseId());
        return Progress.done();
    }

    /**
     * Removes a lease's checkout and its fetch ref; safe to repeat, and to call for one that never
     * was. {@code strict}: a checkout that cannot be removed is an error (the engine tries again).
     */
    static void remove(OnHost host, long leaseId, boolean strict) {
        String name = CloneLayout.checkoutName(leaseId);
        GitRun removal = host.git().run(CloneLayout.GIT_DIR, "worktree", "remove", "--force", "--force", name);
        if (!removal.succeeded()) {
            // never registered, or registered and half made: the directory goes, then the clone forgets it
            host.files().delete(host.layout().path(name));
            GitRun prune = host.git().run(CloneLayout.GIT_DIR, "worktree", "prune");
            if (strict && !prune.succeeded() && !prune.lostRace()) {
                throw new dev.drydock.api.DrydockException("cannot forget the checkout of lease " + leaseId + " in the clone: " + prune.reason());
            }
        }
        host.git().run(CloneLayout.GIT_DIR, "update-ref", "-d", CloneLayout.fetchRef(leaseId)); // a leftover only keeps objects
    }

    private static Optional<String> headOf(OnHost host, String name) {
        if (!host.files().exists(host.layout().path(name + "/.git"))) {
            return Optional.empty();
        }
        GitRun head = host.git().runIn(name, "rev-parse", "--verify", "HEAD");
        return head.succeeded() ? Optional.of(head.stdout()) : Optional.empty();
    }
}
