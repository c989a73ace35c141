package dev.drydock.blueprint.workingcopy;

/**
 * Where a working-copy resource keeps things in its cache directory on the host (relative to the
 * host lease's directory): the bare clone, a clone in progress, and one checkout per lease, named by
 * the lease's id so a leftover can be traced to its row.
 *
 * @param cache the cache directory, relative to the host lease's directory
 */
record CloneLayout(String cache) {
    /** The finished bare clone; it exists only once the clone completed. */
    static final String CLONE = "clone.git";
    /** Where a clone is made before it is moved to {@link #CLONE}. */
    static final String PARTIAL = "clone.partial";

    /** The {@code --git-dir} option naming the clone, for git run in the cache directory. */
    static final String GIT_DIR = "--git-dir=" + CLONE;

    /** A lease's checkout, relative to the cache directory. */
    static String checkoutName(long leaseId) {
        return "lease-" + leaseId;
    }

    /** The ref a lease's fetch lands on: one per lease, so concurrent fetches never update the same ref. */
    static String fetchRef(long leaseId) {
        return "refs/drydock/lease-" + leaseId;
    }

    /** {@code name} (relative to the cache directory) relative to the host lease's directory. */
    String path(String name) {
        return cache + "/" + name;
    }
}
