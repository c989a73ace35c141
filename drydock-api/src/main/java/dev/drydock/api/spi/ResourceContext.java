package dev.drydock.api.spi;

/**
 * What a blueprint may do while working on a resource. Attribute and log writes are stored in the
 * same transaction as the step's outcome, so a step that fails leaves no half-recorded state.
 */
public interface ResourceContext {
    ResourceView resource();

    /** Records a fact on the resource (visible to operators: never a secret). */
    void setAttribute(String name, String value);

    /** Adds a line to the resource's log, shown by {@code drydock-control logs}. */
    void log(String message);

    /** Resolves a secret reference ({@code env:NAME}, {@code file:PATH}); the value is never logged. */
    String secret(String reference);
}
