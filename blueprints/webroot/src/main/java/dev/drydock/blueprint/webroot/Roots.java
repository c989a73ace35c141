package dev.drydock.blueprint.webroot;

import dev.drydock.api.CommandResult;
import dev.drydock.api.LeaseRequest;
import dev.drydock.api.LeaseStatus;
import dev.drydock.api.spi.LeaseContext;
import dev.drydock.api.spi.Progress;
import dev.drydock.api.spi.ResourceContext;
import dev.drydock.api.spi.SubLease;
import java.time.Duration;
import java.util.List;

/**
 * The directory a webroot lease serves: its working copy's checkout (a sub-lease of the web root,
 * pinned to the host its server runs on), or the directory {@code path} within it, resolved on the
 * host so that a symbolic link cannot take the root outside the checkout; or a directory of the
 * lease's own.
 */
final class Roots {
    /** The working-copy lease attribute holding the checkout's absolute path on its host. */
    static final String CHECKOUT_PATH = "checkout.path";
    static final String COMMIT = "commit";
    private static final Duration PATIENCE = Duration.ofMinutes(5);

    private Roots() {}

    /** What preparing a lease's directory came to: the directory, or a step result to return meanwhile. */
    sealed interface Prepared {
        record Ready(String root) implements Prepared {}

        record Waiting(Progress progress) implements Prepared {}
    }

    /** The sub-lease name of lease {@code leaseId}'s checkout on the web-root resource. */
    static String checkoutName(long leaseId) {
        return "checkout-" + leaseId;
    }

    static Prepared prepare(WebrootConfig config, ResourceContext resource, LeaseContext lease, OnHost onHost, Source source) {
        long leaseId = lease.lease().id();
        return switch (source) {
            case Source.OwnDirectory own -> {
                String root = onHost.ownRoot(leaseId);
                onHost.access().files().createDirectories(onHost.access().relative("root", root));
                yield new Prepared.Ready(root);
            }
            case Source.Checkout checkout -> fromCheckout(config, resource, lease, onHost, checkout);
        };
    }

    private static Prepared fromCheckout(WebrootConfig config, ResourceContext resource, LeaseContext lease, OnHost onHost,
                                         Source.Checkout checkout) {
        long leaseId = lease.lease().id();
        SubLease sub = resource.lease(checkoutName(leaseId), request(config, checkout, onHost));
        lease.setAttribute("checkout.lease", Long.toString(sub.id()));
        if (sub.status() == LeaseStatus.BROKEN || sub.status() == LeaseStatus.RELEASED || sub.status() == LeaseStatus.DESTROYED) {
            return new Prepared.Waiting(Progress.failed("its working copy of " + checkout.repository() + " at '" + checkout.ref()
                    + "', lease " + sub.id() + ", " + sub.statusReason()));
        }
        if (!sub.isActive()) {
            return new Prepared.Waiting(Progress.checkAgainIn(PATIENCE, "its working copy of " + checkout.repository() + " at '"
                    + checkout.ref() + "', lease " + sub.id() + ": " + sub.statusReason()));
        }
        String checkoutPath = sub.leaseAttributes().get(CHECKOUT_PATH);
        if (checkoutPath == null) {
            return new Prepared.Waiting(Progress.failed("working-copy lease " + sub.id() + " records no " + CHECKOUT_PATH
                    + ": its blueprint does not say where the checkout is on the host"));
        }
        String commit = sub.leaseAttributes().get(COMMIT);
        if (commit != null) {
            lease.setAttribute(COMMIT, commit);
        }
        String wanted = checkout.path().isEmpty() ? checkoutPath : checkoutPath + "/" + checkout.path();
        // one command resolves both, the checkout itself first: realpath -e fails if either is missing
        CommandResult real = onHost.access().run(List.of("realpath", "-e", "--", checkoutPath, wanted));
        List<String> lines = real.stdoutText().strip().lines().toList();
        if (!real.succeeded() || lines.size() != 2) {
            return new Prepared.Waiting(Progress.failed("path '" + checkout.path() + "' is not in the checkout of " + checkout.repository()
                    + " at '" + checkout.ref() + "'" + (commit == null ? "" : " (commit " + commit + ")")));
        }
        String base = lines.get(0);
        String resolved = lines.get(1);
        if (!(resolved.equals(base) || resolved.startsWith(base + "/"))) {
            return new Prepared.Waiting(Progress.failed("path '" + checkout.path() + "' leads outside the checkout of "
                    + checkout.repository() + " (a symbolic link to " + resolved + "); a web root serves only what is in the checkout"));
        }
        return new Prepared.Ready(resolved);
    }

    /** The working copy to serve: of the lease's repository at its ref, on the host this web root's server runs on. */
    private static LeaseRequest request(WebrootConfig config, Source.Checkout checkout, OnHost onHost) {
        LeaseRequest.Builder request = LeaseRequest.builder("working-copy")
                .attribute(Source.REPOSITORY, checkout.repository())
                .attribute(Source.REF, checkout.ref())
                .attribute(OnHost.HOST_RESOURCE, Long.toString(onHost.hostResourceId()));
        config.workingCopyBlueprintsOrAny().forEach(request::blueprint);
        return request.build();
    }
}
