package dev.drydock.blueprint.libvirt;

import dev.drydock.api.spi.ResourceView;
import java.util.ArrayList;
import java.util.List;
import org.libvirt.LibvirtException;

/**
 * What each configured hypervisor publishes for placement: its node's memory and CPUs, and this
 * blueprint's own VMs on it (counted by libvirt itself, from our metadata), or why it could not be
 * asked. The resource being placed is left out, so a retried placement does not count itself.
 */
final class Publishing {
    private Publishing() {}

    static List<Published> all(LibvirtConfig config, ResourceView placing, Hypervisors hypervisors) {
        List<Published> published = new ArrayList<>();
        for (String uri : config.hypervisors()) {
            try {
                published.add(hypervisors.with(uri, h -> {
                    List<Hypervisor.OwnedDomain> ours = h.ourDomains(placing.installationId()).stream()
                            .filter(d -> d.owner().blueprintId() == placing.blueprintId() && d.owner().resourceId() != placing.id())
                            .toList();
                    long pending = ours.stream().filter(d -> !d.active()).count() * config.memoryMiBOrDefault();
                    return h.capacity(ours.size(), pending, ours.size() * config.vcpusOrDefault());
                }));
            } catch (LibvirtException e) {
                published.add(new Published.Unreachable(uri, LibvirtErrors.describe(e))); // Placement says "unreachable: "
            }
        }
        return published;
    }
}
