package dev.drydock.core;

import dev.drydock.api.ResourceInterface;
import dev.drydock.api.spi.BlueprintImplementation;
import dev.drydock.api.spi.LeaseContext;
import dev.drydock.api.spi.LeaseView;
import dev.drydock.api.spi.Progress;
import dev.drydock.api.spi.ResourceContext;
import java.util.Optional;

/**
 * The parts of a test blueprint that touch nothing outside the database: resources are ready at
 * once and gone at once, a lease leaves nothing to clean up, and there are no interfaces.
 */
abstract class InertBlueprint<C extends Record> implements BlueprintImplementation<C> {
    @Override
    public Progress allocate(C config, ResourceContext resource) {
        return Progress.done();
    }

    @Override
    public void releaseLease(C config, ResourceContext resource, LeaseContext lease) {}

    @Override
    public Progress destroy(C config, ResourceContext resource) {
        return Progress.done();
    }

    @Override
    public <T extends ResourceInterface> Optional<T> interfaceFor(C config, ResourceContext resource, LeaseView lease, Class<T> type) {
        return Optional.empty();
    }
}
