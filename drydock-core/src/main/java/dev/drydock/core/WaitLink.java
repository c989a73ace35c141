package dev.drydock.core;

/**
 * One link of what a lease waits for, as {@link Drydock#waitChain} explains it: the resource being
 * built or prepared for it, a sub-lease that resource waits for, that sub-lease's resource, and so
 * on down.
 *
 * @param depth       0 for what the lease itself waits on, 1 for what that waits on, …
 * @param description the link in words: what it is, its status and why
 */
public record WaitLink(int depth, String description) {
    public WaitLink {
        java.util.Objects.requireNonNull(description, "description");
    }
}
