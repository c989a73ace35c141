package dev.drydock.core.internal.engine;

import dev.drydock.api.spi.IncompleteListingException;
import dev.drydock.api.spi.OwnedObject;
import dev.drydock.api.spi.Reaper;
import dev.drydock.core.internal.blueprint.BlueprintRegistry;
import dev.drydock.core.internal.store.BlueprintRow;
import dev.drydock.core.internal.store.ReapStore;
import dev.drydock.core.internal.store.ResourceRow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one pass of a blueprint's reaper found, by object id, and the listings that failed. A pass
 * lists with the blueprint's current configuration and with each other configuration that one of
 * its resources was built with, if that resource is not destroyed or was destroyed within
 * {@link #recent}: objects made before an edit (in the old region, with the old credentials) are
 * found where they are. An object found by several listings is kept once, as the first found it
 * (the current configuration lists first).
 *
 * @param objects what was listed, and the configuration whose reaper listed it
 * @param errors  one sentence per listing that threw; empty when all listed
 */
record ReapListing(Map<String, Listed> objects, List<String> errors) {
    private static final Logger LOG = LoggerFactory.getLogger(ReapListing.class);

    /** An object as listed, with the configuration of the reaper that listed it (which can reach it). */
    record Listed(OwnedObject object, BlueprintRegistry.Configured lister) {}

    /** How long after a resource's destruction its configuration is still listed with: an hour, or three intervals if longer. */
    static Duration recent(Duration interval) {
        Duration three = interval.multipliedBy(3);
        return three.compareTo(Duration.ofHours(1)) > 0 ? three : Duration.ofHours(1);
    }

    /** Lists with {@code current} and the other configurations in use; {@code reapers} makes each one's reaper. */
    static ReapListing list(Engine engine, BlueprintRow blueprint, BlueprintRegistry.Configured current, Duration interval,
                            ReapersByConfig reapers) {
        Map<String, Listed> objects = new LinkedHashMap<>();
        List<String> errors = new ArrayList<>();
        String installation = engine.installation().id();
        listInto(objects, errors, blueprint, installation, current, reapers.of(current), "the current configuration");
        List<ResourceRow> others = engine.jdbi().withHandle(h ->
                ReapStore.builtWithOtherConfigs(h, blueprint.id(), blueprint.configVersion(), recent(interval)));
        Set<BlueprintRegistry.Configured> listed = new HashSet<>(Set.of(current));
        for (ResourceRow resource : others) {
            String which = "the configuration resource " + resource.id() + " was built with";
            try {
                BlueprintRegistry.Configured c = engine.configured(resource, blueprint);
                if (listed.add(c)) { // an edit back to an earlier configuration lists once
                    listInto(objects, errors, blueprint, installation, c, reapers.of(c), which);
                }
            } catch (RuntimeException e) {
                errors.add("could not list with " + which + ": " + StepFailure.describe(e));
            }
        }
        return new ReapListing(Collections.unmodifiableMap(objects), List.copyOf(errors));
    }

    private static void listInto(Map<String, Listed> objects, List<String> errors, BlueprintRow blueprint, String installation,
                                 BlueprintRegistry.Configured c, Optional<Reaper> reaper, String which) {
        if (reaper.isEmpty()) {
            return; // that configuration turned reaping off
        }
        try {
            for (OwnedObject o : reaper.get().list(installation, blueprint.id())) {
                objects.putIfAbsent(o.id(), new Listed(o, c));
            }
        } catch (IncompleteListingException e) {
            for (OwnedObject o : e.found()) { // what was found was found: orphans there are destroyed as usual
                objects.putIfAbsent(o.id(), new Listed(o, c));
            }
            String error = "could not list everything with " + which + ": " + StepFailure.describe(e);
            LOG.warn("blueprint {}'s reaper {}; destroying only what it did list, trying the rest again next pass", blueprint.name(), error);
            errors.add(error);
        } catch (RuntimeException e) {
            String error = "could not list with " + which + ": " + StepFailure.describe(e);
            LOG.warn("blueprint {}'s reaper {}; destroying nothing on that listing's word, trying again next pass", blueprint.name(), error, e);
            errors.add(error);
        }
    }
}
