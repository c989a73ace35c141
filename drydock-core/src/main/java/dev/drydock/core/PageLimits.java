package dev.drydock.core;

import dev.drydock.api.InvalidRequestException;

/** The bounds every listing's page shares. */
final class PageLimits {
    private PageLimits() {}

    static void check(long beforeId, int limit) {
        if (limit < 1 || limit > Drydock.MAX_LIST) {
            throw new InvalidRequestException("limit", "must be 1 to " + Drydock.MAX_LIST + ", was " + limit);
        }
        if (beforeId < 1) {
            throw new InvalidRequestException("before", "must be a positive id, was " + beforeId);
        }
    }
}
