package dev.drydock.blueprint.workingcopy;

import dev.drydock.api.CommandResult;
import dev.drydock.api.DrydockException;
import dev.drydock.api.spi.Progress;
import dev.drydock.api.spi.ResourceContext;

/**
 * Makes a resource's one clone: a bare clone into a scratch directory, moved into place only when
 * complete, so a repeated step finds either a whole clone (and does nothing) or none (and starts
 * over). Later leases fetch into it; it is never cloned again.
 */
final class CloneStep {
    private CloneStep() {}

    static Progress ensure(WorkingCopyConfig config, ResourceContext resource, OnHost host) {
        CloneLayout layout = host.layout();
        if (host.files().exists(layout.path(CloneLayout.CLONE + "/HEAD"))) {
            return Progress.done();
        }
        host.files().delete(layout.path(CloneLayout.PARTIAL));
        GitRun clone = host.git().run("clone", "--bare", "--quiet", "--", config.repository(), CloneLayout.PARTIAL);
        if (!clone.succeeded()) {
            host.files().delete(layout.path(CloneLayout.PARTIAL));
            return Progress.failed("cannot clone " + config.repository() + ": " + clone.reason()
                    + "; check that the repository exists, that its host can reach it, and its credentials");
        }
        CommandResult move = host.git().runProgram("mv", "--", CloneLayout.PARTIAL, CloneLayout.CLONE);
        if (!move.succeeded()) {
            throw new DrydockException("cannot move the new clone into " + layout.path(CloneLayout.CLONE) + " on host lease "
                    + host.hostLeaseId() + ": " + move.stderrText().strip());
        }
        resource.log("cloned " + config.repository() + " into " + layout.path(CloneLayout.CLONE) + " on host lease " + host.hostLeaseId());
        return Progress.done();
    }
}
