package dev.drydock.interfaces;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drydock.api.FileNotFoundInLeaseException;
import dev.drydock.api.FilesystemInterface;
import dev.drydock.api.InvalidRequestException;
import dev.drydock.api.PathOutsideRootException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@link FilesystemInterface#createDirectories} and {@link FilesystemInterface#setPermissions}, the
 * same for every implementation: each test class that implements this runs these tests against its
 * own interface, whose lease directory and an outside directory (holding {@code secret.txt}) are
 * both on this machine.
 */
public interface DirectoriesAndPermissionsContract {
    FilesystemInterface files();

    Path leaseDirectory();

    Path outsideDirectory();

    @Test
    default void createsDirectoriesAndMakesAWrittenScriptRunnable() throws IOException {
        files().createDirectories("bin/tools");
        files().createDirectories("bin/tools"); // again: nothing to do
        files().write("bin/tools/run.sh", "#!/bin/sh\necho ran\n".getBytes(StandardCharsets.UTF_8));
        files().setPermissions("bin/tools/run.sh", PosixFilePermissions.fromString("rwxr-x---"));

        assertThat(leaseDirectory().resolve("bin/tools")).isDirectory();
        assertThat(Files.getPosixFilePermissions(leaseDirectory().resolve("bin/tools/run.sh")))
                .isEqualTo(PosixFilePermissions.fromString("rwxr-x---"));
        assertThatThrownBy(() -> files().createDirectories("bin/tools/run.sh"))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("is a file");
        assertThatThrownBy(() -> files().setPermissions("missing.sh", PosixFilePermissions.fromString("rwx------")))
                .isInstanceOf(FileNotFoundInLeaseException.class);
    }

    @Test
    default void directoriesAndPermissionsStayInsideTheLease() throws IOException {
        Files.createSymbolicLink(leaseDirectory().resolve("link-to-secret"), outsideDirectory().resolve("secret.txt"));
        Files.createSymbolicLink(leaseDirectory().resolve("link-to-outside"), outsideDirectory());
        Set<PosixFilePermission> before = Files.getPosixFilePermissions(outsideDirectory().resolve("secret.txt"));

        assertThatThrownBy(() -> files().createDirectories("../escaped")).isInstanceOf(PathOutsideRootException.class);
        assertThatThrownBy(() -> files().createDirectories("link-to-outside/made")).isInstanceOf(PathOutsideRootException.class);
        assertThatThrownBy(() -> files().setPermissions("link-to-secret", PosixFilePermissions.fromString("rwxrwxrwx")))
                .isInstanceOf(PathOutsideRootException.class);

        assertThat(outsideDirectory().resolve("made")).doesNotExist();
        assertThat(leaseDirectory().resolveSibling("escaped")).doesNotExist();
        assertThat(Files.getPosixFilePermissions(outsideDirectory().resolve("secret.txt"))).isEqualTo(before);
    }
}
