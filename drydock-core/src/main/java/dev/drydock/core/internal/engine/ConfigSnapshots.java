package dev.drydock.core.internal.engine;

import dev.drydock.core.internal.blueprint.BlueprintRegistry;
import dev.drydock.core.internal.store.BlueprintRow;
import dev.drydock.core.internal.store.ResourceRow;
import dev.drydock.core.internal.store.ResourceStore;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.Jdbi;

/**
 * The configuration each step of an existing resource runs with: the one it was built with
 * (architecture decision 42). A resource whose blueprint has not changed since, or that was built
 * before snapshots were stored, uses the blueprint's configuration already read with it, so the
 * lease path gains no statement; one built with an older configuration has its copy read once
 * and kept, since a blueprint's version of a configuration never changes. Thread-safe.
 */
public final class ConfigSnapshots {
    /** Older configurations still in use are few; a flood of edits just starts the cache over. */
    private static final int CACHED = 256;
    private final Jdbi jdbi;
    private final BlueprintRegistry registry;
    private final Map<Version, String> older = new ConcurrentHashMap<>();

    public ConfigSnapshots(Jdbi jdbi, BlueprintRegistry registry) {
        this.jdbi = jdbi;
        this.registry = registry;
    }

    /** One configuration of one blueprint; the same text for every resource built with it. */
    private record Version(long blueprintId, int version) {}

    /** The implementation and configuration {@code resource}'s steps use; {@code blueprint} is its own, as read. */
    BlueprintRegistry.Configured of(ResourceRow resource, BlueprintRow blueprint) {
        if (resource.usesCurrentConfig(blueprint)) {
            return registry.configure(blueprint.type(), blueprint.config());
        }
        String json = older.get(new Version(blueprint.id(), resource.configVersion()));
        if (json == null) {
            // Cached under the version read with the copy: an operator may have re-pointed the row since it was read.
            Optional<ResourceStore.ConfigSnapshot> copy = jdbi.withHandle(h -> ResourceStore.configSnapshot(h, resource.id()));
            if (copy.isEmpty()) {
                return registry.configure(blueprint.type(), blueprint.config()); // only a hand-edited row lacks it
            }
            if (older.size() >= CACHED) {
                older.clear();
            }
            older.put(new Version(blueprint.id(), copy.get().version()), copy.get().config());
            json = copy.get().config();
        }
        return registry.configure(blueprint.type(), json);
    }
}
