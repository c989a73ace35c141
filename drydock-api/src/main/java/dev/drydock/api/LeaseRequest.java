package dev.drydock.api;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * What an application asks for. Immutable; build with {@link #builder(String)}.
 *
 * @param resourceType       e.g. {@code host}
 * @param attributes         requirements a blueprint and a resource must satisfy
 * @param allowedBlueprints  names of blueprints that may serve it; empty for any
 * @param ttl                released automatically this long after becoming active; empty for never; at most {@link #MAX_TTL}
 * @param acquireDeadline    broken with a reason if still not active this long after the request; at most {@link #MAX_DEADLINE}
 */
public record LeaseRequest(String resourceType, Map<String, String> attributes, Set<String> allowedBlueprints,
                           Optional<Duration> ttl, Duration acquireDeadline) {
    /** Default acquire deadline: 10 minutes. */
    public static final Duration DEFAULT_DEADLINE = Duration.ofMinutes(10);
    /** The longest acquire deadline: a year. */
    public static final Duration MAX_DEADLINE = Duration.ofDays(365);
    /** The longest time to live: ten years (a lease that should outlive that needs no TTL). */
    public static final Duration MAX_TTL = Duration.ofDays(3650);
    /**
     * The attribute that places a lease on one resource, by id, and on no other: the engine never
     * builds a resource for such a lease; it waits while that resource is being built or full, and
     * breaks, saying so, once that resource can no longer take it (broken, released, destroyed,
     * another type, or its blueprint declines). A composite blueprint uses it to put a sub-lease
     * beside another one (a working copy on the host its web server runs on); an operator, to run
     * something on a host already in use. Blueprints never see it among a lease's attributes.
     */
    public static final String ON_RESOURCE = "drydock.resource";
    private static final Pattern RESOURCE_ID = Pattern.compile("[1-9][0-9]{0,17}");

    public LeaseRequest {
        Objects.requireNonNull(resourceType, "resourceType");
        ResourceType.check(resourceType);
        attributes = Map.copyOf(attributes);
        attributes.forEach((k, v) -> {
            if (!AttributeName.isValid(k)) {
                throw new InvalidRequestException("attributes." + k, "attribute names are " + AttributeName.RULE);
            }
            if (v.indexOf('\0') >= 0) {
                // the database cannot store it; refused here rather than failing at the insert
                throw new InvalidRequestException("attributes." + k, "contains a NUL character (\\u0000); remove it");
            }
        });
        String onResource = attributes.get(ON_RESOURCE);
        if (onResource != null && !RESOURCE_ID.matcher(onResource).matches()) {
            throw new InvalidRequestException("attributes." + ON_RESOURCE, "must be a resource id (a positive whole number), was '" + onResource + "'");
        }
        allowedBlueprints = Set.copyOf(allowedBlueprints);
        Objects.requireNonNull(ttl, "ttl");
        ttl.ifPresent(t -> {
            if (t.isNegative() || t.isZero() || t.compareTo(MAX_TTL) > 0) {
                throw new InvalidRequestException("ttl", "must be more than 0 and at most " + MAX_TTL.toDays() + " days, was " + t);
            }
        });
        Objects.requireNonNull(acquireDeadline, "acquireDeadline");
        if (acquireDeadline.isNegative() || acquireDeadline.isZero() || acquireDeadline.compareTo(MAX_DEADLINE) > 0) {
            throw new InvalidRequestException("acquireDeadline", "must be more than 0 and at most " + MAX_DEADLINE.toDays()
                    + " days, was " + acquireDeadline);
        }
    }

    public static Builder builder(String resourceType) {
        return new Builder(resourceType);
    }

    /** Optional settings of a {@link LeaseRequest}. */
    public static final class Builder {
        private final String resourceType;
        private final Map<String, String> attributes = new TreeMap<>();
        private final Set<String> blueprints = new TreeSet<>();
        private Duration ttl;
        private Duration deadline = DEFAULT_DEADLINE;

        private Builder(String resourceType) {
            this.resourceType = resourceType;
        }

        public Builder attribute(String name, String value) {
            attributes.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** Places the lease on resource {@code resourceId} and no other (see {@link #ON_RESOURCE}). */
        public Builder onResource(long resourceId) {
            if (resourceId <= 0) {
                throw new InvalidRequestException("attributes." + ON_RESOURCE, "must be a resource id (a positive whole number), was " + resourceId);
            }
            return attribute(ON_RESOURCE, Long.toString(resourceId));
        }

        /** Restricts the lease to the named blueprint; call again to allow several. */
        public Builder blueprint(String name) {
            blueprints.add(Objects.requireNonNull(name, "name"));
            return this;
        }

        public Builder ttl(Duration ttl) {
            this.ttl = Objects.requireNonNull(ttl, "ttl");
            return this;
        }

        public Builder acquireDeadline(Duration deadline) {
            this.deadline = Objects.requireNonNull(deadline, "deadline");
            return this;
        }

        public LeaseRequest build() {
            return new LeaseRequest(resourceType, attributes, blueprints, Optional.ofNullable(ttl), deadline);
        }
    }
}
