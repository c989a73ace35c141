package dev.drydock.blueprint.localhost;

/**
 * Configuration of a {@code local-host} blueprint, read from JSON.
 *
 * @param root     absolute directory under which every resource and lease gets its own directory
 * @param capacity leases one resource (slot) holds at once, at least 1
 * @param keepIdle whether an idle slot is kept for reuse (default true) or destroyed at once
 */
public record LocalHostConfig(String root, int capacity, Boolean keepIdle) {
    public boolean keep() {
        return keepIdle == null || keepIdle;
    }
}
