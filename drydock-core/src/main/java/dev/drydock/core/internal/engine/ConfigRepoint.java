package dev.drydock.core.internal.engine;

import dev.drydock.api.InvalidRequestException;
import dev.drydock.api.ResourceStatus;
import dev.drydock.core.internal.store.BlueprintRow;
import dev.drydock.core.internal.store.EventLog;
import dev.drydock.core.internal.store.ResourceRow;
import dev.drydock.core.internal.store.ResourceStore;

/**
 * An operator points a resource at its blueprint's current configuration (decision 43): the one it
 * was built with was a mistake (a wrong key reference, say), and its later steps, above all a
 * failing destroy, should use the fix. Never done by the engine on its own: a destroy with another
 * configuration (another region) could report gone what still exists.
 */
public final class ConfigRepoint {
    private ConfigRepoint() {}

    /**
     * Re-points resource {@code id}, logging who asked; a resource being destroyed is tried again at
     * once. Returns false when it already used the current configuration (nothing changed).
     *
     * @throws InvalidRequestException no such resource, or it is destroyed
     */
    public static boolean useCurrentConfig(Engine engine, long id, String operator) {
        return engine.jdbi().inTransaction(h -> {
            ResourceRow r = ResourceStore.lock(h, id).orElseThrow(() -> new InvalidRequestException("resource", "no resource " + id));
            if (r.status() == ResourceStatus.DESTROYED) {
                throw new InvalidRequestException("resource", "resource " + id + " is destroyed; its configuration no longer matters");
            }
            BlueprintRow b = engine.blueprintOf(h, r);
            if (r.configVersion() == b.configVersion()) {
                return false;
            }
            ResourceStore.useCurrentConfig(h, id);
            EventLog.resource(h, id, b.id(), "resource " + id + " now uses blueprint " + b.name() + "'s current configuration (version "
                    + b.configVersion() + "), as operator " + operator + " asked; it was built with "
                    + (r.configVersion() == ResourceRow.NO_SNAPSHOT ? "no stored configuration" : "version " + r.configVersion()));
            if (r.status() != ResourceStatus.ACTIVE) {
                engine.tasks().updateResource(h, id); // building or being destroyed: the next try uses it at once
            }
            return true;
        });
    }
}
