package dev.drydock.interfaces;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drydock.api.FileNotFoundInLeaseException;
import dev.drydock.api.FilesystemInterface;
import dev.drydock.api.InvalidRequestException;
import dev.drydock.api.PathOutsideRootException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@link FilesystemInterface#createDirectories}, {@link FilesystemInterface#setPermissions} and
 * writes with a mode ({@code fs put} of a {@code 0600} file stays {@code 0600}), the
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
    default void aFileWrittenWithAModeNeverGetsAWiderOne() throws IOException {
        Set<PosixFilePermission> secret = PosixFilePermissions.fromString("rw-------");
        files().write("config/secret.env", new ByteArrayInputStream("TOKEN=x\n".getBytes(StandardCharsets.UTF_8)), secret);
        files().write("open.txt", "readable by all".getBytes(StandardCharsets.UTF_8));
        Files.setPosixFilePermissions(leaseDirectory().resolve("open.txt"), PosixFilePermissions.fromString("rw-r--r--"));

        files().write("open.txt", new ByteArrayInputStream("now a secret".getBytes(StandardCharsets.UTF_8)), secret);
        files().write("tools/run.sh", new ByteArrayInputStream("#!/bin/sh\n".getBytes(StandardCharsets.UTF_8)),
                PosixFilePermissions.fromString("rwxr-x---"));

        assertThat(Files.getPosixFilePermissions(leaseDirectory().resolve("config/secret.env"))).isEqualTo(secret);
        assertThat(leaseDirectory().resolve("config/secret.env")).hasContent("TOKEN=x");
        assertThat(Files.getPosixFilePermissions(leaseDirectory().resolve("open.txt")))
                .as("replacing a wider file with a 0600 one narrows it").isEqualTo(secret);
        assertThat(Files.getPosixFilePermissions(leaseDirectory().resolve("tools/run.sh")))
                .isEqualTo(PosixFilePermissions.fromString("rwxr-x---"));
        try (var left = Files.list(leaseDirectory())) {
            assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".drydock-"));
        }
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
