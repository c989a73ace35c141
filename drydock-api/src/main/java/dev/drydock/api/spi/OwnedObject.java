package dev.drydock.api.spi;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An object outside the database as a {@link Reaper} found it: its id and every tag it carries.
 *
 * @param id   what the reaper's {@link Reaper#destroy} needs to find it, and what the engine shows in
 *             the blueprint's log (an EC2 instance id, a libvirt domain name); unique among what the
 *             blueprint's reaper lists, so a blueprint that lists several kinds of object gives each
 *             a prefix ({@code instance/i-0abc}, {@code volume/vol-0def})
 * @param tags the object's tags as the outside world has them, ours ({@link ObjectTags}) and others
 */
public record OwnedObject(String id, Map<String, String> tags) {
    public OwnedObject {
        Objects.requireNonNull(id, "id");
        if (id.isBlank()) {
            throw new IllegalArgumentException("an object's id must not be blank");
        }
        tags = Map.copyOf(tags);
    }

    /** The resource its tags name; empty when it does not carry all of {@link ObjectTags}. */
    public Optional<ObjectTags> owner() {
        return ObjectTags.read(tags);
    }
}
