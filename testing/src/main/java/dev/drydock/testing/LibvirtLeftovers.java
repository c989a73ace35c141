package dev.drydock.testing;

import java.util.ArrayList;
import java.util.List;

/**
 * Finds and removes what carries a name prefix in libvirt, as libvirt itself lists it: domains,
 * networks, storage pools, and volumes in any active pool. Removal is best effort per item (a
 * domain already gone is fine); {@link #find(String)} afterwards says what is really left.
 */
final class LibvirtLeftovers {
    private LibvirtLeftovers() {}

    /** Everything named with {@code prefix}, as {@code "domain NAME"}, {@code "volume POOL/NAME"} and so on. */
    static List<String> find(String prefix) {
        List<String> found = new ArrayList<>();
        Virsh.names(prefix, "list", "--all", "--name").forEach(name -> found.add("domain " + name));
        Virsh.names(prefix, "net-list", "--all", "--name").forEach(name -> found.add("network " + name));
        for (String pool : Virsh.names("", "pool-list", "--name")) {
            volumes(pool, prefix).forEach(volume -> found.add("volume " + pool + "/" + volume));
        }
        Virsh.names(prefix, "pool-list", "--all", "--name").forEach(name -> found.add("storage pool " + name));
        return found;
    }

    /** Removes everything named with {@code prefix}; returns what there was. */
    static List<String> remove(String prefix) {
        List<String> found = find(prefix);
        for (String domain : Virsh.names(prefix, "list", "--all", "--name")) {
            Virsh.run("destroy", domain);
            if (!Virsh.run("undefine", domain, "--nvram").succeeded()) {
                Virsh.run("undefine", domain);
            }
        }
        for (String network : Virsh.names(prefix, "net-list", "--all", "--name")) {
            Virsh.run("net-destroy", network);
            Virsh.run("net-undefine", network);
        }
        for (String pool : Virsh.names(prefix, "pool-list", "--all", "--name")) {
            Virsh.run("pool-start", pool); // an inactive pool cannot list or delete its volumes
        }
        for (String pool : Virsh.names("", "pool-list", "--name")) {
            volumes(pool, prefix).forEach(volume -> Virsh.run("vol-delete", volume, "--pool", pool));
        }
        for (String pool : Virsh.names(prefix, "pool-list", "--all", "--name")) {
            volumes(pool, "").forEach(volume -> Virsh.run("vol-delete", volume, "--pool", pool));
            Virsh.run("pool-destroy", pool);
            Virsh.run("pool-undefine", pool);
        }
        return found;
    }

    private static List<String> volumes(String pool, String prefix) {
        Virsh.Result listing = Virsh.run("vol-list", pool);
        if (!listing.succeeded()) {
            return List.of(); // inactive, or gone meanwhile
        }
        return Virsh.firstColumn(listing.output(), prefix);
    }
}
