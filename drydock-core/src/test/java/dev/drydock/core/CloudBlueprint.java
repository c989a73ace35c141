package dev.drydock.core;

import dev.drydock.api.spi.ConfigProblem;
import dev.drydock.api.spi.LeaseContext;
import dev.drydock.api.spi.ObjectTags;
import dev.drydock.api.spi.IncompleteListingException;
import dev.drydock.api.spi.OwnedObject;
import dev.drydock.api.spi.Progress;
import dev.drydock.api.spi.Reaper;
import dev.drydock.api.spi.ResourceContext;
import dev.drydock.api.spi.SecretResolver;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A test blueprint whose outside world is a cloud in memory: a map of objects, each in a region
 * and with tags. A build creates one object ({@code vm-RESOURCE}) in its configuration's region,
 * tagged with {@link ObjectTags}; a destroy removes the resource's objects from that region, as a
 * cloud blueprint's would. Its reaper lists everything in its region, tagged or not, so that the
 * engine's rules alone decide what is destroyed. A test puts strays in the cloud, makes a destroy
 * leave its object behind ({@link #leaky}), and makes listing or destroying throw.
 *
 * <p>Thread-safe: the engine calls it from its workers while the test reads and changes it.
 */
final class CloudBlueprint extends InertBlueprint<CloudBlueprint.Config> {
    /** Leases per resource, the region its objects are made (and looked for) in, and the reap interval. */
    record Config(int capacity, String region, long reapIntervalMs) {}

    /** An object in the cloud. */
    record CloudObject(String region, Map<String, String> tags) {}

    /** A listing by a reaper of blueprint {@code blueprintId} in {@code region}, and what it returned. */
    record Listing(long blueprintId, String region, Instant at, Set<String> objects) {}

    /** A reaper's destroy of {@code objectId}, asked in {@code region}. */
    record Destroy(String objectId, String region, Instant at) {}

    final Map<String, CloudObject> cloud = new ConcurrentHashMap<>();
    /** Resources whose destroy reports done and leaves their objects: a leak for the reaper to find. */
    final Set<Long> leaky = ConcurrentHashMap.newKeySet();
    /** Regions whose listing throws, with the message. */
    final Map<String, String> listFailures = new ConcurrentHashMap<>();
    /** Regions whose listing finds everything but says another place it lists did not answer, with the message. */
    final Map<String, String> partialListings = new ConcurrentHashMap<>();
    /** Objects whose destroy by a reaper throws, with the message. */
    final Map<String, String> destroyFailures = new ConcurrentHashMap<>();
    final List<Listing> listings = new CopyOnWriteArrayList<>();
    final List<Destroy> destroys = new CopyOnWriteArrayList<>();

    @Override
    public String type() {
        return "cloud";
    }

    @Override
    public String resourceType() {
        return "cloud-vm";
    }

    @Override
    public Class<Config> configType() {
        return Config.class;
    }

    @Override
    public List<ConfigProblem> validate(Config config) {
        return config.capacity() >= 1 ? List.of() : List.of(new ConfigProblem("capacity", "must be at least 1"));
    }

    @Override
    public int capacity(Config config) {
        return config.capacity();
    }

    @Override
    public Progress allocate(Config config, ResourceContext resource) {
        cloud.put("vm-" + resource.resource().id(), new CloudObject(config.region(), ObjectTags.of(resource.resource()).asMap()));
        return Progress.done();
    }

    @Override
    public Progress acquireLease(Config config, ResourceContext resource, LeaseContext lease) {
        return Progress.done();
    }

    @Override
    public Progress destroy(Config config, ResourceContext resource) {
        if (!leaky.contains(resource.resource().id())) {
            String tag = Long.toString(resource.resource().id());
            cloud.entrySet().removeIf(e -> e.getValue().region().equals(config.region())
                    && tag.equals(e.getValue().tags().get(ObjectTags.RESOURCE)));
        }
        return Progress.done(); // gone, as far as this region knows
    }

    @Override
    public Optional<Reaper> reaper(Config config, SecretResolver secrets) {
        return Optional.of(new RegionReaper(config.region()));
    }

    @Override
    public Duration reapInterval(Config config) {
        return Duration.ofMillis(config.reapIntervalMs());
    }

    /** The listings by blueprint {@code blueprintId}'s reapers, in the order they happened. */
    List<Listing> listingsBy(long blueprintId) {
        return listings.stream().filter(l -> l.blueprintId() == blueprintId).toList();
    }

    /** A region's reaper, as a cloud SDK would give one: it sees one region. */
    private final class RegionReaper implements Reaper {
        private final String region;

        RegionReaper(String region) {
            this.region = region;
        }

        @Override
        public List<OwnedObject> list(String installationId, long blueprintId) {
            String failure = listFailures.get(region);
            if (failure != null) {
                listings.add(new Listing(blueprintId, region, Instant.now(), Set.of()));
                throw new IllegalStateException(failure);
            }
            List<OwnedObject> found = cloud.entrySet().stream().filter(e -> e.getValue().region().equals(region))
                    .map(e -> new OwnedObject(e.getKey(), e.getValue().tags())).toList();
            listings.add(new Listing(blueprintId, region, Instant.now(), Set.copyOf(found.stream().map(OwnedObject::id).toList())));
            String missed = partialListings.get(region);
            if (missed != null) {
                throw new IncompleteListingException(missed, found);
            }
            return found;
        }

        @Override
        public void destroy(OwnedObject object) {
            destroys.add(new Destroy(object.id(), region, Instant.now()));
            String failure = destroyFailures.get(object.id());
            if (failure != null) {
                throw new IllegalStateException(failure);
            }
            cloud.computeIfPresent(object.id(), (id, o) -> o.region().equals(region) ? null : o);
        }
    }
}
