package dev.drydock.api.spi;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The tags that say which resource made an object outside the database (an instance, a volume, a
 * VM, a directory): this installation, the blueprint and the resource, under the names
 * {@link #INSTALLATION}, {@link #BLUEPRINT} and {@link #RESOURCE}. A blueprint puts {@link #asMap()}
 * on everything it creates, in the create call itself (EC2 {@code TagSpecifications}, libvirt
 * {@code <metadata>}), so nothing exists untagged even for a moment; its {@link Reaper} hands the
 * tags back as it finds them, and the engine reads them with {@link #read}.
 *
 * <p>The names use only lower-case letters and '-', and the values are a UUID and decimal numbers,
 * which every cloud's and hypervisor's tag or label rules accept (GCP labels, the strictest, allow
 * nothing else).
 *
 * @param installationId the database's installation id ({@link ResourceView#installationId()})
 * @param blueprintId    the stored blueprint's id, never reused ({@link ResourceView#blueprintId()})
 * @param resourceId     the resource's id ({@link ResourceView#id()})
 */
public record ObjectTags(String installationId, long blueprintId, long resourceId) {
    /** The tag holding the installation id. */
    public static final String INSTALLATION = "drydock-installation";
    /** The tag holding the blueprint id. */
    public static final String BLUEPRINT = "drydock-blueprint";
    /** The tag holding the resource id. */
    public static final String RESOURCE = "drydock-resource";

    public ObjectTags {
        Objects.requireNonNull(installationId, "installationId");
        if (installationId.isBlank()) {
            throw new IllegalArgumentException("installationId must not be blank");
        }
    }

    /** The tags of what {@code resource}'s steps create. */
    public static ObjectTags of(ResourceView resource) {
        return new ObjectTags(resource.installationId(), resource.blueprintId(), resource.id());
    }

    /** The three tags, to put on an object when it is created. */
    public Map<String, String> asMap() {
        return Map.of(INSTALLATION, installationId, BLUEPRINT, Long.toString(blueprintId), RESOURCE, Long.toString(resourceId));
    }

    /**
     * The owner an object's tags name; empty unless all three tags are there and well-formed (a
     * number for the blueprint and the resource). Other tags are ignored.
     */
    public static Optional<ObjectTags> read(Map<String, String> tags) {
        String installation = tags.get(INSTALLATION);
        Optional<Long> blueprint = number(tags.get(BLUEPRINT));
        Optional<Long> resource = number(tags.get(RESOURCE));
        if (installation == null || installation.isBlank() || blueprint.isEmpty() || resource.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new ObjectTags(installation, blueprint.get(), resource.get()));
    }

    private static Optional<Long> number(String value) {
        if (value == null || value.isEmpty() || value.length() > 19 || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return Optional.empty();
        }
        try {
            return Optional.of(Long.parseLong(value));
        } catch (NumberFormatException e) {
            return Optional.empty(); // 19 digits above Long.MAX_VALUE
        }
    }
}
