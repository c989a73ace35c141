package dev.drydock.api;

import java.time.Instant;

/**
 * One entry of a directory listing.
 *
 * @param path relative to the lease's directory, with {@code /} separators
 */
public record FileEntry(String path, Kind kind, long size, Instant modified) {
    public enum Kind { FILE, DIRECTORY, OTHER }
}
