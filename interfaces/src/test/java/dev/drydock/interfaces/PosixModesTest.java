package dev.drydock.interfaces;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;

class PosixModesTest {
    @Test
    void octalModesAndPermissionSetsAreTheSameThing() {
        assertThat(PosixModes.fromBits(0755)).isEqualTo(PosixFilePermissions.fromString("rwxr-xr-x"));
        assertThat(PosixModes.fromBits(0640)).isEqualTo(PosixFilePermissions.fromString("rw-r-----"));
        assertThat(PosixModes.toBits(PosixFilePermissions.fromString("rwx--x-w-"))).isEqualTo(0712);
        assertThat(PosixModes.fromBits(0)).isEmpty();
        for (int mode = 0; mode <= 0777; mode++) {
            assertThat(PosixModes.toBits(PosixModes.fromBits(mode))).as("mode %o", mode).isEqualTo(mode);
        }
    }

    @Test
    void bitsBeyondThePermissionsAreRefusedNamingThem() {
        assertThatThrownBy(() -> PosixModes.fromBits(04755))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("4755");
    }
}
