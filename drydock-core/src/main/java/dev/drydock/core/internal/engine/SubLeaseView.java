package dev.drydock.core.internal.engine;

import dev.drydock.api.InterfaceNotSupportedException;
import dev.drydock.api.LeaseStatus;
import dev.drydock.api.ResourceInterface;
import dev.drydock.api.spi.SubLease;
import dev.drydock.core.internal.store.LeaseRow;
import dev.drydock.core.internal.store.LeaseStore;
import dev.drydock.core.internal.store.ResourceRow;
import dev.drydock.core.internal.store.ResourceStore;
import java.util.Map;
import java.util.Optional;

/** A sub-lease as a step read it; its interfaces are opened on the lease as it is when asked. */
record SubLeaseView(String name, LeaseRow row, Engine engine) implements SubLease {
    @Override
    public long id() {
        return row.id();
    }

    @Override
    public LeaseStatus status() {
        return row.status();
    }

    @Override
    public String statusReason() {
        return row.statusReason();
    }

    @Override
    public Optional<Long> resourceId() {
        return row.resourceId();
    }

    @Override
    public Map<String, String> leaseAttributes() {
        return row.leaseAttributes();
    }

    @Override
    public Map<String, String> resourceAttributes() {
        return row.resourceId().flatMap(id -> engine.jdbi().withHandle(h -> ResourceStore.find(h, id)))
                .map(ResourceRow::attributes).orElse(Map.of());
    }

    @Override
    public <T extends ResourceInterface> T getInterface(Class<T> type) {
        LeaseStore.Situation now = engine.jdbi().withHandle(h -> LeaseStore.situation(h, row.id())).orElseThrow();
        if (now.lease().status() != LeaseStatus.ACTIVE) {
            throw new IllegalStateException("sub-lease '" + name + "' (lease " + row.id() + ") is " + now.lease().status()
                    + ", not ACTIVE: " + now.lease().statusReason());
        }
        String blueprintType = now.placed().map(p -> p.blueprint().type()).orElse("unknown");
        return engine.interfaceOn(now, type).orElseThrow(() -> new InterfaceNotSupportedException(row.id(), type, blueprintType));
    }

    @Override
    public String toString() {
        return "sub-lease '" + name + "' (lease " + row.id() + ", " + row.status() + ")";
    }
}
