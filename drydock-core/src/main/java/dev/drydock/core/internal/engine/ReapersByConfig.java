package dev.drydock.core.internal.engine;

import dev.drydock.api.spi.Reaper;
import dev.drydock.api.spi.SecretResolver;
import dev.drydock.core.internal.blueprint.BlueprintRegistry;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The reapers one pass uses, one per configuration: a pass lists with several configurations and
 * destroys each object with the one its resource was built with, so asking the blueprint once per
 * configuration spares it building a client per object. Lives for one pass, on one thread.
 */
final class ReapersByConfig {
    private final SecretResolver secrets;
    private final Map<BlueprintRegistry.Configured, Optional<Reaper>> made = new HashMap<>();

    ReapersByConfig(SecretResolver secrets) {
        this.secrets = secrets;
    }

    /** The blueprint's reaper for {@code c}; empty when that configuration offers none. Throws what the blueprint throws. */
    Optional<Reaper> of(BlueprintRegistry.Configured c) {
        Optional<Reaper> known = made.get(c);
        if (known == null) {
            known = Engine.impl(c).reaper(c.config(), secrets);
            made.put(c, known);
        }
        return known;
    }

    /** Makes {@code reaper} the one for {@code c}, as already asked for. */
    ReapersByConfig with(BlueprintRegistry.Configured c, Reaper reaper) {
        made.put(c, Optional.of(reaper));
        return this;
    }
}
