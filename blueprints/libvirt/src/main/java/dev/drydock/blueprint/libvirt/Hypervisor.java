package dev.drydock.blueprint.libvirt;

import com.sun.jna.Pointer;
import dev.drydock.api.spi.ObjectTags;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.DomainInterface;
import org.libvirt.Error.ErrorNumber;
import org.libvirt.LibvirtException;
import org.libvirt.NodeInfo;
import org.libvirt.StoragePool;
import org.libvirt.StorageVol;
import org.libvirt.Stream;
import org.libvirt.jna.Libvirt;
import org.libvirt.jna.virError;

/**
 * One open connection to a hypervisor, and the few calls the blueprint makes on it, each freeing
 * the native handles it took. "Already gone" is success for every removal: destroying a stopped
 * domain, undefining a missing one, deleting a missing volume. Other libvirt errors surface as
 * {@link LibvirtException}, whose {@link #code} the caller classifies. {@link #close()} is
 * idempotent.
 */
final class Hypervisor implements AutoCloseable {
    /**
     * {@code virDomainUndefineFlags}: MANAGED_SAVE (1) | SNAPSHOTS_METADATA (2) | NVRAM (4) |
     * CHECKPOINTS_METADATA (16). libvirt-java 0.5.4 names only the first two.
     */
    static final int UNDEFINE_EVERYTHING = 1 | 2 | 4 | 16;
    /** {@code virDomainInterfaceAddressesSource}: the DHCP lease of libvirt's own dnsmasq. */
    static final int ADDRESSES_FROM_LEASE = 0;
    /** {@code virDomainInterfaceAddressesSource}: the QEMU guest agent. */
    static final int ADDRESSES_FROM_AGENT = 1;
    /** How libvirt says a domain's guest agent cannot answer: absent from the XML, not connected, or silent. */
    private static final Set<ErrorNumber> AGENT_NOT_THERE = EnumSet.of(ErrorNumber.VIR_ERR_AGENT_UNRESPONSIVE,
            ErrorNumber.VIR_ERR_ARGUMENT_UNSUPPORTED, ErrorNumber.VIR_ERR_OPERATION_UNSUPPORTED, ErrorNumber.VIR_ERR_NO_SUPPORT,
            ErrorNumber.VIR_ERR_OPERATION_TIMEOUT, ErrorNumber.VIR_ERR_AGENT_UNSYNCED);
    /** {@code virConnectListAllDomainsFlags}: running domains only. */
    static final int LIST_ACTIVE = 1;

    /**
     * libvirt prints every error to stderr unless the process sets an error callback; ours reach
     * the caller as exceptions, so this one drops them. Held here so JNA's callback stays reachable.
     */
    private static final Libvirt.VirErrorCallback QUIET = new Libvirt.VirErrorCallback() {
        @Override
        public void errorCallback(Pointer userData, virError error) {
            // reported by the LibvirtException of the failed call
        }
    };
    private static final AtomicBoolean QUIETED = new AtomicBoolean();

    private final String uri;
    private final Connect connect;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Hypervisor(String uri, Connect connect) {
        this.uri = uri;
        this.connect = connect;
    }

    /** Opens {@code uri} read-write; throws when libvirt cannot connect (the caller then publishes it as unreachable). */
    static Hypervisor open(String uri) throws LibvirtException {
        if (QUIETED.compareAndSet(false, true)) {
            Connect.setErrorCallback(QUIET);
        }
        return new Hypervisor(uri, new Connect(uri));
    }

    String uri() {
        return uri;
    }

    /**
     * The node's memory and CPUs, and the memory no running domain was given, with our own figures
     * added, for {@link Placement}. Free memory is the node's memory minus every running domain's
     * maximum memory (ours and others'), as Nova counts it, not {@code virNodeGetFreeMemory}: that is
     * the kernel's MemFree, which counts page cache as used, and the test driver reports it wrongly
     * (3 MiB of 3 GiB, or nothing with a custom node file).
     */
    Published.Capacity capacity(int ourVms, long ourPendingMemoryMiB, int ourVcpus) throws LibvirtException {
        NodeInfo node = connect.nodeInfo();
        long givenKiB = 0;
        for (Domain d : connect.listAllDomains(LIST_ACTIVE)) {
            try {
                givenKiB += d.getInfo().maxMem;
            } catch (LibvirtException e) {
                if (code(e) != ErrorNumber.VIR_ERR_NO_DOMAIN) {
                    throw e; // one stopped and undefined while we listed gives nothing
                }
            } finally {
                d.free();
            }
        }
        long totalMiB = node.memory / 1024;
        return new Published.Capacity(uri, totalMiB, Math.max(0, totalMiB - givenKiB / 1024), node.cpus, ourVms, ourPendingMemoryMiB,
                ourVcpus);
    }

    /** A domain of ours as listed: its name, the owner our metadata names, and whether it runs. */
    record OwnedDomain(String name, ObjectTags owner, boolean active) {}

    /**
     * Every domain, running or not, whose name has this installation's prefix and whose metadata
     * names an owner of this installation; nothing else on the hypervisor.
     */
    List<OwnedDomain> ourDomains(String installationId) throws LibvirtException {
        List<OwnedDomain> ours = new ArrayList<>();
        for (Domain d : connect.listAllDomains(0)) {
            try {
                String name = d.getName();
                if (!name.startsWith(Names.prefix(installationId))) {
                    continue;
                }
                Optional<ObjectTags> owner = DomainXml.owner(d.getXMLDesc(0));
                if (owner.isPresent() && owner.get().installationId().equals(installationId)) {
                    ours.add(new OwnedDomain(name, owner.get(), d.isActive() == 1));
                }
            } catch (LibvirtException e) {
                if (code(e) != ErrorNumber.VIR_ERR_NO_DOMAIN) {
                    throw e; // one undefined while we listed is simply not there
                }
            } finally {
                d.free();
            }
        }
        return List.copyOf(ours);
    }

    /** Defines the domain of {@code xml}; defining one that exists with the same XML replaces it. */
    void define(String xml) throws LibvirtException {
        connect.domainDefineXML(xml).free();
    }

    /** Starts the defined domain {@code name}; one already running counts as started. */
    void start(String name) throws LibvirtException {
        Domain d = connect.domainLookupByName(name);
        try {
            if (d.isActive() != 1) {
                d.create();
            }
        } catch (LibvirtException e) {
            if (code(e) != ErrorNumber.VIR_ERR_OPERATION_INVALID) {
                throw e;
            }
        } finally {
            d.free();
        }
    }

    /** Whether {@code name} is defined and whether it runs: empty when there is no such domain. */
    Optional<Boolean> isRunning(String name) throws LibvirtException {
        Domain d = lookup(name);
        if (d == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(d.isActive() == 1);
        } finally {
            d.free();
        }
    }

    /**
     * Stops and undefines {@code name}, NVRAM, snapshot and checkpoint metadata and managed save
     * included; a driver that refuses those flags (the test driver, old libvirt) gets a plain
     * undefine. A domain that is not there is done.
     */
    void destroyAndUndefine(String name) throws LibvirtException {
        Domain d = lookup(name);
        if (d == null) {
            return;
        }
        try {
            if (d.isActive() == 1) {
                ignore(d::destroy, ErrorNumber.VIR_ERR_OPERATION_INVALID);
            }
            try {
                d.undefine(UNDEFINE_EVERYTHING);
            } catch (LibvirtException e) {
                if (code(e) == ErrorNumber.VIR_ERR_INVALID_ARG || code(e) == ErrorNumber.VIR_ERR_NO_SUPPORT) {
                    ignore(() -> d.undefine(0), ErrorNumber.VIR_ERR_NO_DOMAIN);
                } else if (code(e) != ErrorNumber.VIR_ERR_NO_DOMAIN) {
                    throw e;
                }
            }
        } finally {
            d.free();
        }
    }

    /** The IPv4 address the network's DHCP lease (or, with {@code agent}, the guest agent) gives {@code mac}; empty while there is none. */
    Optional<String> address(String name, String mac, boolean agent) throws LibvirtException {
        Domain d = lookup(name);
        if (d == null) {
            return Optional.empty();
        }
        try {
            for (DomainInterface i : d.interfaceAddresses(agent ? ADDRESSES_FROM_AGENT : ADDRESSES_FROM_LEASE, 0)) {
                if (i.hwAddr != null && i.hwAddr.toLowerCase(Locale.ROOT).equals(mac.toLowerCase(Locale.ROOT))) {
                    for (DomainInterface.InterfaceAddress a : i.addrs) {
                        if (a.address instanceof java.net.Inet4Address) {
                            return Optional.of(a.address.getHostAddress());
                        }
                    }
                }
            }
            return Optional.empty();
        } catch (LibvirtException e) {
            // not running yet, no lease yet, or no agent (not configured, not up, not answering): "not yet", never a failure
            if (code(e) == ErrorNumber.VIR_ERR_OPERATION_INVALID || (agent && AGENT_NOT_THERE.contains(code(e)))) {
                return Optional.empty();
            }
            throw e;
        } finally {
            d.free();
        }
    }

    /** The path and capacity of volume {@code name} in {@code pool}; empty when it is not there. */
    Optional<VolumeFacts> volume(String pool, String name) throws LibvirtException {
        return inPool(pool, p -> {
            StorageVol v = lookupVolume(p, name);
            if (v == null) {
                return Optional.empty();
            }
            try {
                return Optional.of(new VolumeFacts(v.getPath(), v.getInfo().capacity));
            } finally {
                v.free();
            }
        });
    }

    /** A volume's path on the hypervisor and its capacity in bytes. */
    record VolumeFacts(String path, long capacityBytes) {}

    /** Creates the volume {@code xml} describes in {@code pool}. */
    void createVolume(String pool, String xml) throws LibvirtException {
        inPool(pool, p -> {
            p.storageVolCreateXML(xml, 0).free();
            return null;
        });
    }

    /**
     * Writes {@code content} into volume {@code name} of {@code pool} from its start, through a
     * libvirt stream. The test driver cannot ({@code VIR_ERR_NO_SUPPORT}).
     */
    void upload(String pool, String name, byte[] content) throws LibvirtException {
        inPool(pool, p -> {
            StorageVol v = p.storageVolLookupByName(name);
            Stream s = connect.streamNew(0);
            try {
                v.upload(s, 0, content.length, 0);
                s.write(ByteBuffer.wrap(content)); // loops until all is sent
                s.finish();
            } catch (LibvirtException | IOException e) {
                ignore(s::abort, null);
                if (e instanceof LibvirtException l) {
                    throw l;
                }
                if (e.getCause() instanceof LibvirtException cause) {
                    throw cause;
                }
                throw new UncheckedIOException("sending " + name + " to " + uri + " failed", (IOException) e);
            } finally {
                s.free();
                v.free();
            }
            return null;
        });
    }

    /** Deletes volume {@code name} of {@code pool} after refreshing the pool; one not there is done. */
    void deleteVolume(String pool, String name) throws LibvirtException {
        inPool(pool, p -> {
            p.refresh(0);
            StorageVol v = lookupVolume(p, name);
            if (v != null) {
                try {
                    ignore(() -> v.delete(0), ErrorNumber.VIR_ERR_NO_STORAGE_VOL);
                } finally {
                    v.free();
                }
            }
            return null;
        });
    }

    /** The names of the volumes in {@code pool} that {@link Names#parse} reads as this installation's. */
    List<String> ourVolumes(String pool, String installationId) throws LibvirtException {
        return inPool(pool, p -> {
            p.refresh(0);
            return Arrays.stream(p.listVolumes()).filter(name -> Names.parse(installationId, name).isPresent()).toList();
        });
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            try {
                connect.close();
            } catch (LibvirtException e) {
                // the connection is gone either way
            }
        }
    }

    /** libvirt's error code of {@code e}. */
    static ErrorNumber code(LibvirtException e) {
        return e.getError() == null ? null : e.getError().getCode();
    }

    private Domain lookup(String name) throws LibvirtException {
        return orNull(() -> connect.domainLookupByName(name), ErrorNumber.VIR_ERR_NO_DOMAIN);
    }

    private static StorageVol lookupVolume(StoragePool pool, String name) throws LibvirtException {
        return orNull(() -> pool.storageVolLookupByName(name), ErrorNumber.VIR_ERR_NO_STORAGE_VOL);
    }

    private interface Lookup<T> {
        T find() throws LibvirtException;
    }

    /** What {@code lookup} finds, or null when libvirt answers {@code missing}. */
    private static <T> T orNull(Lookup<T> lookup, ErrorNumber missing) throws LibvirtException {
        try {
            return lookup.find();
        } catch (LibvirtException e) {
            if (code(e) == missing) {
                return null;
            }
            throw e;
        }
    }

    private interface PoolCall<T> {
        T apply(StoragePool pool) throws LibvirtException;
    }

    private <T> T inPool(String pool, PoolCall<T> call) throws LibvirtException {
        StoragePool p = connect.storagePoolLookupByName(pool);
        try {
            return call.apply(p);
        } finally {
            p.free();
        }
    }

    private interface Call {
        void run() throws LibvirtException;
    }

    private static void ignore(Call call, ErrorNumber ignored) throws LibvirtException {
        try {
            call.run();
        } catch (LibvirtException e) {
            if (ignored != null && code(e) != ignored) {
                throw e;
            }
        }
    }
}
