package dev.drydock.server;

import dev.drydock.api.InvalidRequestException;
import dev.drydock.api.LeaseInfo;
import dev.drydock.api.LeaseNotFoundException;
import dev.drydock.api.LeaseStatus;
import dev.drydock.api.ResourceInterface;
import dev.drydock.core.ApiToken;
import dev.drydock.core.Drydock;
import java.util.EnumSet;
import java.util.Optional;

/**
 * An interface on a lease for the token that calls: the lease's holder, or an admin token acting as
 * operator "token NAME" (the lease's log says so); any other token gets 403. A lease that is not
 * ACTIVE is a 409 that says its status and what to do. Nothing has been run or written when either
 * refusal is raised.
 */
final class LeaseUse {
    private static final EnumSet<LeaseStatus> NOT_YET = EnumSet.of(LeaseStatus.PENDING, LeaseStatus.ACQUIRED);
    private final Drydock drydock;

    LeaseUse(Drydock drydock) {
        this.drydock = drydock;
    }

    /**
     * @throws dev.drydock.api.NotLeaseHolderException the token neither acquired the lease nor is an admin token (403)
     * @throws ApiError.Raised the lease is not ACTIVE (409)
     */
    <T extends ResourceInterface> T open(long leaseId, Class<T> type, ApiToken token) {
        try {
            return drydock.apiTokens().interfaceOf(leaseId, type, token);
        } catch (InvalidRequestException e) {
            if (!"lease".equals(e.field())) {
                throw e;
            }
            LeaseInfo lease = drydock.allocator().find(leaseId).orElseThrow(() -> new LeaseNotFoundException(leaseId));
            throw notActive(lease).raise();
        }
    }

    private static ApiError notActive(LeaseInfo lease) {
        String what = NOT_YET.contains(lease.status())
                ? "wait until it is ACTIVE (GET /v1/leases/" + lease.id() + "?wait=30s) and try again"
                : "it has ended; acquire a new lease with POST /v1/leases";
        return new ApiError(409, "conflict", "lease " + lease.id() + " is " + lease.status() + " (" + lease.statusReason()
                + "), not ACTIVE: commands and files go through an active lease; " + what, Optional.empty());
    }
}
