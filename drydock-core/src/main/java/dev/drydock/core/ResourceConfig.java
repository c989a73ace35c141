package dev.drydock.core;

import java.util.Objects;

/**
 * The configuration a resource's steps use (architecture decision 42): the one it was built with,
 * or, for a resource built before those were stored, its blueprint's current one. A configuration
 * holds secret references ({@code env:NAME}, {@code file:PATH}), never their values, so it may be
 * shown.
 *
 * @param configJson           the configuration, as JSON
 * @param blueprintsCurrent    whether it is the blueprint's current configuration; if not, the
 *                             blueprint was edited since, and {@link Drydock#useCurrentConfig}
 *                             points the resource at the edit
 */
public record ResourceConfig(String configJson, boolean blueprintsCurrent) {
    public ResourceConfig {
        Objects.requireNonNull(configJson, "configJson");
    }
}
