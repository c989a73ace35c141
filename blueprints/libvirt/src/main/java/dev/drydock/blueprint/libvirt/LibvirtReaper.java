package dev.drydock.blueprint.libvirt;

import dev.drydock.api.DrydockException;
import dev.drydock.api.spi.IncompleteListingException;
import dev.drydock.api.spi.ObjectTags;
import dev.drydock.api.spi.OwnedObject;
import dev.drydock.api.spi.Reaper;
import java.util.ArrayList;
import java.util.List;
import org.libvirt.LibvirtException;

/**
 * Lists, on every configured hypervisor, this installation's domains of the blueprint (by name
 * prefix and by the owner our {@code <metadata>} names, both required) and the volumes of the
 * storage pool whose names {@link Names#parse} reads as this installation's; and destroys one the
 * engine found orphaned. A domain goes with its two volumes, as a resource's destroy takes them.
 *
 * <p>Object ids carry the hypervisor, so a destroy goes where the object was found:
 * {@code domain/<uri>/<name>} and {@code volume/<uri>/<pool>/<name>} (names and pools never hold a
 * {@code /}). A hypervisor that does not answer is reported with what the others hold
 * ({@link IncompleteListingException}): one down hypervisor never stops reaping on the rest.
 */
final class LibvirtReaper implements Reaper {
    private static final String DOMAIN = "domain/";
    private static final String VOLUME = "volume/";
    private final LibvirtConfig config;
    private final Hypervisors hypervisors;

    LibvirtReaper(LibvirtConfig config, Hypervisors hypervisors) {
        this.config = config;
        this.hypervisors = hypervisors;
    }

    @Override
    public List<OwnedObject> list(String installationId, long blueprintId) {
        List<OwnedObject> found = new ArrayList<>();
        List<String> missed = new ArrayList<>();
        for (String uri : config.hypervisors()) {
            try {
                found.addAll(hypervisors.with(uri, h -> ours(h, installationId, blueprintId)));
            } catch (LibvirtException e) {
                missed.add("hypervisor " + uri + " did not answer: " + LibvirtErrors.describe(e));
            }
        }
        if (!missed.isEmpty()) {
            throw new IncompleteListingException(String.join("; ", missed), found);
        }
        return List.copyOf(found);
    }

    private List<OwnedObject> ours(Hypervisor h, String installationId, long blueprintId) throws LibvirtException {
        List<OwnedObject> found = new ArrayList<>();
        for (Hypervisor.OwnedDomain d : h.ourDomains(installationId)) {
            if (d.owner().blueprintId() == blueprintId) {
                found.add(new OwnedObject(DOMAIN + h.uri() + "/" + d.name(), d.owner().asMap()));
            }
        }
        for (String volume : h.ourVolumes(config.storagePool(), installationId)) {
            Names.parse(installationId, volume).filter(owner -> owner.blueprintId() == blueprintId).ifPresent(owner ->
                    found.add(new OwnedObject(VOLUME + h.uri() + "/" + config.storagePool() + "/" + volume, owner.asMap())));
        }
        return found;
    }

    @Override
    public void destroy(OwnedObject object) {
        ObjectTags owner = object.owner().orElseThrow(() -> new IllegalArgumentException("not an object of ours: " + object.id()));
        String id = object.id();
        int last = id.lastIndexOf('/');
        try {
            if (id.startsWith(DOMAIN)) {
                String uri = id.substring(DOMAIN.length(), last);
                Names names = new Names(owner);
                hypervisors.with(uri, h -> {
                    h.destroyAndUndefine(names.domain());
                    h.deleteVolume(config.storagePool(), names.seedVolume());
                    h.deleteVolume(config.storagePool(), names.overlayVolume());
                    return null;
                });
            } else if (id.startsWith(VOLUME)) {
                int poolStart = id.lastIndexOf('/', last - 1);
                String uri = id.substring(VOLUME.length(), poolStart);
                String pool = id.substring(poolStart + 1, last);
                hypervisors.with(uri, h -> {
                    h.deleteVolume(pool, id.substring(last + 1));
                    return null;
                });
            } else {
                throw new IllegalArgumentException("not an object of ours: " + id);
            }
        } catch (LibvirtException e) {
            throw new DrydockException("could not destroy " + id + ": " + LibvirtErrors.describe(e));
        }
    }
}
