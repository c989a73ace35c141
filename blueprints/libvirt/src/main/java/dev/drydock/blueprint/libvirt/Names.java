package dev.drydock.blueprint.libvirt;

import dev.drydock.api.spi.ObjectTags;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The names of everything one resource makes on a hypervisor, derived only from its
 * {@link ObjectTags}, so a step retried after a crash computes the same names and finds what it
 * made. Every name starts with {@code drydock-<installation id>-}: the reaper lists by that prefix
 * and {@link #parse} reads the owner back, so nothing without it, or with another installation's
 * id, is ever taken for ours.
 *
 * <ul>
 *   <li>domain: {@code drydock-<installation>-<blueprint>-<resource>}</li>
 *   <li>overlay volume: the domain name + {@code -disk.qcow2}; seed volume: + {@code -seed.iso}</li>
 *   <li>MAC: {@code 52:54:00:xx:xx:xx} (QEMU's locally administered, unicast prefix) with the
 *       last three bytes from SHA-256 of installation and resource id: a recreated VM gets the same
 *       MAC, and a VM of another resource a different one except with probability 1 in 2^24 per pair</li>
 * </ul>
 */
record Names(ObjectTags tags) {
    static final String PREFIX = "drydock-";
    static final String OVERLAY_SUFFIX = "-disk.qcow2";
    static final String SEED_SUFFIX = "-seed.iso";
    /** Installation ids are UUIDs; anything else a name could not carry safely is refused. */
    private static final Pattern INSTALLATION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9-]{0,63}");
    private static final Pattern OWNED = Pattern.compile("(\\d{1,19})-(\\d{1,19})(" + Pattern.quote(OVERLAY_SUFFIX) + "|"
            + Pattern.quote(SEED_SUFFIX) + ")?");

    Names {
        if (!INSTALLATION.matcher(tags.installationId()).matches()) {
            throw new IllegalArgumentException("installation id '" + tags.installationId() + "' cannot be part of a libvirt name");
        }
        if (tags.blueprintId() < 0 || tags.resourceId() < 0) {
            throw new IllegalArgumentException("blueprint and resource ids are never negative: " + tags);
        }
    }

    /** What every name of this installation starts with. */
    static String prefix(String installationId) {
        return PREFIX + installationId + "-";
    }

    String domain() {
        return prefix(tags.installationId()) + tags.blueprintId() + "-" + tags.resourceId();
    }

    String overlayVolume() {
        return domain() + OVERLAY_SUFFIX;
    }

    String seedVolume() {
        return domain() + SEED_SUFFIX;
    }

    /** The guest's host name: {@code drydock-<resource>}, short enough for one DNS label. */
    String hostname() {
        return PREFIX + tags.resourceId();
    }

    /** The NIC's MAC address, lower case as libvirt writes it. */
    String mac() {
        byte[] digest = sha256(tags.installationId() + "/" + tags.resourceId());
        return String.format("52:54:00:%02x:%02x:%02x", digest[0] & 0xff, digest[1] & 0xff, digest[2] & 0xff);
    }

    /**
     * The owner named by a domain or volume name of ours; empty for any name not made by
     * {@link #domain}, {@link #overlayVolume} or {@link #seedVolume} for {@code installationId}.
     */
    static Optional<ObjectTags> parse(String installationId, String name) {
        String prefix = prefix(installationId);
        if (name == null || !name.startsWith(prefix)) {
            return Optional.empty();
        }
        Matcher m = OWNED.matcher(name.substring(prefix.length()));
        if (!m.matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new ObjectTags(installationId, Long.parseLong(m.group(1)), Long.parseLong(m.group(2))));
        } catch (NumberFormatException e) {
            return Optional.empty(); // 19 digits above Long.MAX_VALUE
        }
    }

    /**
     * The port a user-mode VM's SSH is forwarded from: the first free one in {@code first..last},
     * starting at an offset derived from the resource id (so a retry asks for the same port while it
     * is free, and VMs rarely contend for the same one); empty when every port is {@code taken}.
     */
    Optional<Integer> sshPort(int first, int last, Set<Integer> taken) {
        int size = last - first + 1;
        int start = (int) Math.floorMod(tags.resourceId(), (long) size);
        for (int i = 0; i < size; i++) {
            int port = first + (start + i) % size;
            if (!taken.contains(port)) {
                return Optional.of(port);
            }
        }
        return Optional.empty();
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return domain() + " (" + mac() + ")";
    }
}
