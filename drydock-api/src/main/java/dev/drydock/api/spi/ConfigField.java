package dev.drydock.api.spi;

import java.util.Objects;

/**
 * One field of a blueprint type's configuration, as shown to people by
 * {@code drydock-control blueprint create --type T --help} and in the docs.
 *
 * @param name        the JSON field, e.g. {@code root} or {@code hosts[].address}
 * @param kind        what it holds, in words: "text", "whole number", "true or false", "list", "object"
 * @param description what it does, and its default or that it is required
 */
public record ConfigField(String name, String kind, String description) {
    public ConfigField {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(description, "description");
    }
}
