package dev.drydock.interfaces.internal;

import dev.drydock.api.InvalidRequestException;
import dev.drydock.api.PathOutsideRootException;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Resolves a normalised relative path inside a root name by name, like realpath(3), following every
 * symbolic link on the way (a final one too, and a dangling one), but tolerating a missing tail:
 * once a name does not exist nothing below it can be a link, so the rest is appended and judged by
 * its spelling, and refusing a result outside the root. The local and the SFTP interfaces both
 * confine paths with it; only how a name is looked at differs. Internal to the interfaces module:
 * not an API.
 */
public final class LinkWalk {
    /** Same bound as Linux's MAXSYMLINKS: deeper chains are loops or abuse. */
    private static final int MAX_LINKS = 40;

    private LinkWalk() {}

    /** What lies at an absolute path, the final name not followed. */
    public sealed interface Entry {
        /** Nothing there, or nothing the walk can look at (under a file, unsearchable). */
        record Missing() implements Entry {}

        /** A symbolic link, and what it says: relative to its directory, or absolute. */
        record Link(String target) implements Entry {}

        /** Anything else: a directory, a file, a device. */
        record Other() implements Entry {}
    }

    /** Looks at one absolute path without following a final link (lstat); {@code X} is what it may throw. */
    @FunctionalInterface
    public interface Lookup<X extends Exception> {
        Entry lstat(String absolutePath) throws X;
    }

    /**
     * Where {@code normal} ({@link PosixPaths#normaliseRelative} of the caller's argument
     * {@code field}, given as {@code relative}) leads from {@code root} (absolute, with no links in
     * it), refused unless that lies inside the root. With {@code followLast} false the last name is
     * kept as it is, so a link names the link itself; its directory is still resolved and checked.
     */
    public static <X extends Exception> String resolveInside(String root, String normal, String field, String relative,
                                                             boolean followLast, Lookup<X> lookup) throws X {
        if (followLast || normal.isEmpty()) {
            return requireInside(root, relative, follow(root, normal, lookup, field, relative));
        }
        int slash = normal.lastIndexOf('/');
        String parent = requireInside(root, relative, follow(root, slash < 0 ? "" : normal.substring(0, slash), lookup, field, relative));
        return PosixPaths.join(parent, normal.substring(slash + 1));
    }

    /** {@code resolved} (absolute, normalised), unless it lies outside {@code root}: then the refusal names {@code relative}. */
    public static String requireInside(String root, String relative, String resolved) {
        if (!PosixPaths.isInside(resolved, root)) {
            throw new PathOutsideRootException(relative, "it leads to '" + resolved + "' through a symbolic link");
        }
        return resolved;
    }

    private static <X extends Exception> String follow(String root, String normal, Lookup<X> lookup, String field, String original)
            throws X {
        Deque<String> names = new ArrayDeque<>();
        pushFront(names, normal);
        String current = root;
        int links = 0;
        while (!names.isEmpty()) {
            String name = names.removeFirst();
            if (name.isEmpty() || name.equals(".")) {
                continue;
            }
            if (name.equals("..")) {
                current = PosixPaths.parent(current);
                continue;
            }
            String next = PosixPaths.join(current, name);
            switch (lookup.lstat(next)) {
                case Entry.Missing missing -> {
                    names.addFirst(name);
                    return PosixPaths.normaliseAbsolute(current + "/" + String.join("/", names));
                }
                case Entry.Link(String target) -> {
                    if (++links > MAX_LINKS) {
                        throw new InvalidRequestException(field, "'" + original + "' has too many levels of symbolic links");
                    }
                    pushFront(names, target);
                    if (target.startsWith("/")) {
                        current = "/";
                    }
                }
                case Entry.Other other -> current = next;
            }
        }
        return current;
    }

    private static void pushFront(Deque<String> names, String path) {
        String[] parts = path.split("/");
        for (int i = parts.length - 1; i >= 0; i--) {
            names.addFirst(parts[i]);
        }
    }
}
