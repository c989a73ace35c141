package dev.drydock.blueprint.libvirt;

import dev.drydock.api.spi.BlueprintImplementation;
import dev.drydock.api.spi.ObjectTags;
import dev.drydock.api.spi.Progress;
import dev.drydock.api.spi.ResourceContext;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.libvirt.LibvirtException;

/**
 * Making and removing one resource's VM on its hypervisor. Making is one step that starts from
 * nothing: whatever an earlier try left (a domain that may hold a host key nobody recorded, a
 * seed, an overlay) is removed first, then overlay, seed (with a new host key), domain, start;
 * the host key's public half is recorded with the step. Removing is the same clean-up, safe to
 * repeat.
 */
final class VmBuild {
    private final LibvirtConfig config;
    private final ResourceContext resource;
    private final Hypervisors hypervisors;
    private final String uri;
    private final Names names;

    VmBuild(LibvirtConfig config, ResourceContext resource, Hypervisors hypervisors, String uri) {
        this.config = config;
        this.resource = resource;
        this.hypervisors = hypervisors;
        this.uri = uri;
        this.names = names(resource);
    }

    static Names names(ResourceContext resource) {
        return new Names(new ObjectTags(resource.resource().installationId(), resource.resource().blueprintId(), resource.resource().id()));
    }

    Progress defineAndStart() throws LibvirtException {
        String loginKey = LoginKey.publicLine(resource.secret(config.privateKey()));
        List<String> authorized = new ArrayList<>(List.of(loginKey));
        authorized.addAll(config.authorizedKeysOrNone());
        int sshPort = config.network().isUserMode() ? Integer.parseInt(resource.resource().attributes().get(BlueprintImplementation.SLOT)) : 22;
        Optional<String> missingBase = hypervisors.with(uri, h -> {
            remove(h);
            if (config.hasBaseImage()) {
                Optional<Hypervisor.VolumeFacts> base = h.volume(config.storagePool(), config.baseVolume());
                if (base.isEmpty()) {
                    return Optional.of("base image " + config.baseVolume() + " is not in storage pool " + config.storagePool() + " on " + uri);
                }
                h.createVolume(config.storagePool(), VolumeXml.overlay(names.overlayVolume(), base.get().capacityBytes(), base.get().path(),
                        config.baseFormatOrDefault()));
            }
            return Optional.empty();
        });
        if (missingBase.isPresent()) {
            return Progress.failed(missingBase.get() + "; create it, or fix baseVolume and storagePool");
        }
        GuestKeys hostKeys = GuestKeys.generate(names.hostname());
        byte[] seed = NoCloudSeed.of(names, config.sshUserOrDefault(), authorized, hostKeys).image();
        Optional<Progress> crowded = hypervisors.with(uri, h -> {
            h.createVolume(config.storagePool(), VolumeXml.seed(names.seedVolume(), seed.length));
            h.upload(config.storagePool(), names.seedVolume(), seed);
            h.define(DomainXml.domain(config, names, sshPort));
            Optional<Progress> over = overLimit(h);
            if (over.isEmpty()) {
                h.start(names.domain());
            }
            return over;
        });
        if (crowded.isPresent()) {
            return crowded.get();
        }
        resource.setAttribute(LibvirtHostBlueprint.DOMAIN, names.domain());
        resource.setAttribute(LibvirtHostBlueprint.MAC, names.mac());
        resource.setAttribute(LibvirtHostBlueprint.HOST_KEY, hostKeys.publicKey());
        resource.setAttribute(LibvirtHostBlueprint.HOST_KEY_FINGERPRINT, hostKeys.fingerprint());
        resource.setAttribute(LibvirtHostBlueprint.DEFINED_AT, Instant.now().toString());
        resource.setAttribute("memory_mib", Integer.toString(config.memoryMiBOrDefault()));
        resource.setAttribute("vcpus", Integer.toString(config.vcpusOrDefault()));
        resource.log("defined and started domain " + names.domain() + " on " + uri + " (" + config.memoryMiBOrDefault() + " MiB, "
                + config.vcpusOrDefault() + " vCPU, host key " + hostKeys.fingerprint() + ")");
        return Progress.checkAgainIn(Duration.ofSeconds(1), "domain " + names.domain() + " to boot on " + uri);
    }

    /**
     * Two builds placed at once may both have seen room for one more VM. After defining, the VMs of
     * this blueprint on the hypervisor are counted by libvirt; if there are more than {@code maxVms},
     * those of the newest resources step back (undefined, placed again), so the limit holds.
     */
    private Optional<Progress> overLimit(Hypervisor h) throws LibvirtException {
        int max = config.maxVmsOrUnlimited();
        if (max == Integer.MAX_VALUE) {
            return Optional.empty();
        }
        List<Long> ours = h.ourDomains(resource.resource().installationId()).stream()
                .filter(d -> d.owner().blueprintId() == resource.resource().blueprintId())
                .map(d -> d.owner().resourceId()).sorted(Comparator.naturalOrder()).toList();
        if (ours.indexOf(resource.resource().id()) < max) {
            return Optional.empty();
        }
        remove(h);
        resource.setAttribute(LibvirtHostBlueprint.HYPERVISOR, "");
        resource.log("stepped back from " + uri + ": another build took its last of " + max + " VMs at the same moment; placing again");
        return Optional.of(Progress.checkAgainIn(Duration.ofSeconds(1), "placement again: " + uri + " reached its limit of " + max
                + " VMs while this one was defined"));
    }

    /** Removes the domain and its volumes; what is not there is done. */
    void remove() throws LibvirtException {
        hypervisors.with(uri, h -> {
            remove(h);
            return null;
        });
    }

    private void remove(Hypervisor h) throws LibvirtException {
        h.destroyAndUndefine(names.domain());
        h.deleteVolume(config.storagePool(), names.seedVolume());
        h.deleteVolume(config.storagePool(), names.overlayVolume());
    }
}
