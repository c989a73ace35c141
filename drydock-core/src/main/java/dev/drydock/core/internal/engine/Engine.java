package dev.drydock.core.internal.engine;

import dev.drydock.api.spi.BlueprintImplementation;
import dev.drydock.api.spi.LeaseView;
import dev.drydock.api.spi.ResourceView;
import dev.drydock.api.spi.SecretResolver;
import dev.drydock.core.internal.blueprint.BlueprintRegistry;
import dev.drydock.core.internal.placement.Scorers;
import dev.drydock.core.internal.secrets.SecretSchemes;
import dev.drydock.core.internal.store.BlueprintRow;
import dev.drydock.core.internal.store.BlueprintStore;
import dev.drydock.core.internal.store.EventLog;
import dev.drydock.core.internal.store.LeaseRow;
import dev.drydock.core.internal.store.LeaseStore;
import dev.drydock.core.internal.store.ResourceRow;
import dev.drydock.core.internal.store.ResourceStore;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * What the workers share: the database, the blueprint registry, the task kinds, how failed steps are
 * retried, how secrets are resolved, the installation id every step's view carries, the
 * configurations existing resources were built with, who hears what the work did, and the scorers that
 * place leases.
 */
public record Engine(Jdbi jdbi, BlueprintRegistry registry, Tasks tasks, StepRetry retry, SecretResolver secrets, Installation installation,
                     ConfigSnapshots snapshots, WorkListeners listeners, Scorers scorers) {
    /** How many waiting leases to wake when room appears. */
    static final int WAKE_BATCH = 8;

    public Engine(Jdbi jdbi, BlueprintRegistry registry, Tasks tasks) {
        this(jdbi, registry, tasks, StepRetry.DEFAULT, SecretSchemes.builtIn(), new Installation(jdbi));
    }

    public Engine(Jdbi jdbi, BlueprintRegistry registry, Tasks tasks, StepRetry retry, SecretResolver secrets, Installation installation) {
        this(jdbi, registry, tasks, retry, secrets, installation, new WorkListeners());
    }

    public Engine(Jdbi jdbi, BlueprintRegistry registry, Tasks tasks, StepRetry retry, SecretResolver secrets, Installation installation,
                  WorkListeners listeners) {
        this(jdbi, registry, tasks, retry, secrets, installation, listeners, Scorers.builtIn());
    }

    public Engine(Jdbi jdbi, BlueprintRegistry registry, Tasks tasks, StepRetry retry, SecretResolver secrets, Installation installation,
                  WorkListeners listeners, Scorers scorers) {
        this(jdbi, registry, tasks, retry, secrets, installation, new ConfigSnapshots(jdbi, registry), listeners, scorers);
    }

    /** The blueprint's current configuration: for decisions about new resources (and resources built before V8). */
    BlueprintRegistry.Configured configured(BlueprintRow blueprint) {
        return registry.configure(blueprint.type(), blueprint.config());
    }

    /** The configuration {@code resource} was built with, for every step of it (decision 42). */
    public BlueprintRegistry.Configured configured(ResourceRow resource, BlueprintRow blueprint) {
        return snapshots.of(resource, blueprint);
    }

    /** {@link #configured(ResourceRow, BlueprintRow)}, or empty when this process has no implementation of the type. */
    Optional<BlueprintRegistry.Configured> configuredIfKnown(ResourceRow resource, BlueprintRow blueprint) {
        return registry.find(blueprint.type()).map(impl -> configured(resource, blueprint));
    }

    Optional<BlueprintRegistry.Configured> configuredIfKnown(BlueprintRow blueprint) {
        return registry.find(blueprint.type()).map(impl -> configured(blueprint));
    }

    static LeaseView view(LeaseRow lease) {
        return new LeaseView(lease.id(), lease.resourceType(), OnResource.forBlueprints(lease.attributes()), lease.leaseAttributes());
    }

    ResourceView view(ResourceRow r, BlueprintRow b) {
        return new ResourceView(r.id(), b.id(), b.name(), installation.id(), r.status(), r.capacity(), r.activeLeases(), r.attributes());
    }

    /** The context of a step on the resource alone, or on one of its leases ({@code lease} null for none). */
    StepContext context(ResourceRow r, BlueprintRow b, LeaseRow lease) {
        return new StepContext(view(r, b), lease == null ? null : view(lease), secrets, new SubLeases(this, r.id(), b.id(), Optional.ofNullable(lease).map(LeaseRow::id)))
                .takingSlotsWith(new LeaseSlots(jdbi));
    }

    /** Room appeared for leases of this resource type: wake the oldest waiting ones. */
    void wakeWaiters(Handle h, String resourceType) {
        tasks.updateLeases(h, LeaseStore.oldestPending(h, resourceType, WAKE_BATCH));
    }

    /** Stores what a blueprint step recorded, in the step's transaction. */
    static void record(Handle h, StepContext ctx, ResourceRow resource, BlueprintRow blueprint, Long leaseId) {
        ResourceStore.setAttributes(h, resource.id(), ctx.resourceAttributes);
        ctx.capacity().ifPresent(capacity -> ResourceStore.setCapacity(h, resource.id(), capacity));
        if (leaseId != null) {
            LeaseStore.setLeaseAttributes(h, leaseId, ctx.leaseAttributes);
        }
        for (String line : ctx.logLines) {
            if (leaseId != null) {
                EventLog.lease(h, leaseId, resource.id(), line);
            } else {
                EventLog.resource(h, resource.id(), blueprint.id(), line);
            }
        }
    }

    BlueprintRow blueprintOf(Handle h, ResourceRow r) {
        return BlueprintStore.byId(h, r.blueprintId()).orElseThrow();
    }

    /**
     * The interface of {@code type} on an ACTIVE lease placed on a resource, if its resource's
     * blueprint offers one; asked with the configuration the resource was built with (decision 42).
     */
    public <T extends dev.drydock.api.ResourceInterface> Optional<T> interfaceOn(LeaseStore.Situation active, Class<T> type) {
        ResourceStore.Placed placed = active.placed().orElseThrow();
        return interfaceFor(configured(placed.resource(), placed.blueprint()), placed.resource(), placed.blueprint(), active.lease(), type);
    }

    /** The blueprint's interface of {@code type} for one lease, if it offers one. */
    private <T extends dev.drydock.api.ResourceInterface> Optional<T> interfaceFor(
            BlueprintRegistry.Configured c, ResourceRow resource, BlueprintRow blueprint, LeaseRow lease, Class<T> type) {
        return impl(c).interfaceFor(c.config(), context(resource, blueprint, null).forResource(), view(lease), type);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    public static BlueprintImplementation<Record> impl(BlueprintRegistry.Configured c) {
        return (BlueprintImplementation) c.implementation();
    }
}
