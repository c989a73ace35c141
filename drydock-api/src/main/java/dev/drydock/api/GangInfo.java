package dev.drydock.api;

import java.time.Instant;
import java.util.List;

/**
 * A snapshot of a gang as the database records it.
 *
 * @param statusReason    why it is in its status (why it waits, what broke it), in words an operator can act on
 * @param acquireDeadline the one deadline of all its members: the earliest any of them asked for
 * @param members         its leases, in the order they were requested
 */
public record GangInfo(long id, GangStatus status, String statusReason, Instant acquireDeadline, Instant createdAt, List<LeaseInfo> members) {
    public GangInfo {
        members = List.copyOf(members);
    }
}
