package dev.drydock.interfaces;

import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * Converts between {@link PosixFilePermission} sets and the nine permission bits of a Unix mode
 * ({@code 0755} is {@code rwxr-xr-x}), which the JDK does not offer: SFTP and {@code chmod} speak
 * bits. Only the nine permission bits exist here; set-user-id, set-group-id and sticky are not
 * representable as {@code PosixFilePermission} and are refused.
 */
public final class PosixModes {
    private static final int PERMISSION_BITS = 0777;

    private PosixModes() {}

    /** The mode bits of {@code permissions}: each permission is one bit, OWNER_READ 0400 down to OTHERS_EXECUTE 0001. */
    public static int toBits(Set<PosixFilePermission> permissions) {
        Objects.requireNonNull(permissions, "permissions");
        int bits = 0;
        for (PosixFilePermission p : permissions) {
            bits |= bit(p);
        }
        return bits;
    }

    /** The permissions of mode {@code bits}; throws {@link IllegalArgumentException} for bits outside 0777. */
    public static Set<PosixFilePermission> fromBits(int bits) {
        if ((bits & ~PERMISSION_BITS) != 0) {
            throw new IllegalArgumentException("mode " + Integer.toOctalString(bits)
                    + " has bits beyond the nine permission bits (0777); set-id and sticky bits cannot be set here");
        }
        Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
        for (PosixFilePermission p : PosixFilePermission.values()) {
            if ((bits & bit(p)) != 0) {
                permissions.add(p);
            }
        }
        return permissions;
    }

    /** The enum lists the permissions from OWNER_READ to OTHERS_EXECUTE, the order of the bits from 0400 down. */
    private static int bit(PosixFilePermission p) {
        return 0400 >> p.ordinal();
    }
}
