package dev.drydock.examples;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.testing.LibvirtEnvironment;
import dev.drydock.testing.PostgresExtension;
import dev.drydock.testing.SshKeygen;
import dev.drydock.testing.TestDatabase;
import dev.drydock.testing.Virsh;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@link LibvirtHostMain} against the real libvirtd with the test guest (one boot, TCG,
 * user-mode networking on 127.0.0.1), configured through the same environment variables a user
 * sets, and checks what it printed and that libvirt lists nothing of it afterwards. Skipped, saying
 * why, where there is no libvirt test environment; fails instead under {@code CI=true}.
 */
@ExtendWith(PostgresExtension.class)
class LibvirtHostMainTest {
    @RegisterExtension
    static final LibvirtEnvironment libvirt = new LibvirtEnvironment();

    @Test
    void leasesAVmRunsACommandMovesAFileAndDestroysIt(TestDatabase db, @TempDir Path dir) throws Exception {
        String pool = libvirt.prefix() + "pool";
        Path poolDir = Files.createDirectories(libvirt.scratchDirectory().resolve("pool"));
        Virsh.Result created = Virsh.run("pool-create-as", pool, "dir", "--target", poolDir.toString());
        assertThat(created.succeeded()).as("virsh pool-create-as: %s", created.output()).isTrue();
        try {
            runAndCheck(db, dir, pool);
        } finally {
            Virsh.run("pool-destroy", pool); // transient: gone with it; LibvirtEnvironment would call it a leak
        }
    }

    private static void runAndCheck(TestDatabase db, Path dir, String pool) {
        Path key = dir.resolve("login");
        SshKeygen.generate(key, "example");
        int first = 20_000 + ThreadLocalRandom.current().nextInt(20_000);
        String config = LibvirtHostMain.config(Map.of(
                "DRYDOCK_LIBVIRT_URI", LibvirtEnvironment.URI,
                "DRYDOCK_LIBVIRT_DOMAIN_TYPE", "qemu",
                "DRYDOCK_LIBVIRT_POOL", pool,
                "DRYDOCK_LIBVIRT_KERNEL", LibvirtEnvironment.kernel().toString(),
                "DRYDOCK_LIBVIRT_INITRD", LibvirtEnvironment.initrd().toString(),
                "DRYDOCK_LIBVIRT_KERNEL_COMMAND_LINE", LibvirtEnvironment.KERNEL_COMMAND_LINE,
                "DRYDOCK_LIBVIRT_NETWORK", "user:" + first + "-" + (first + 4),
                "DRYDOCK_LIBVIRT_KEY_FILE", key.toString(),
                "DRYDOCK_LIBVIRT_MEMORY_MIB", "256"));
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();

        LibvirtHostMain.run(db.dataSource(), config, new PrintStream(buffer, true, UTF_8));

        String printed = buffer.toString(UTF_8);
        System.out.print(printed); // the example's lines, in the test's report, as a user would see them
        Matcher active = Pattern.compile("lease \\d+ is active on domain (drydock-\\S+) on qemu:///system at 127\\.0\\.0\\.1:\\d+ "
                + "\\(256 MiB, 1 vCPU, host key SHA256:[A-Za-z0-9+/]{43}\\)").matcher(printed);
        assertThat(active.find()).as("printed:%n%s", printed).isTrue();
        assertThat(printed)
                .contains("uname -a: Linux drydock-")
                .contains("hello.txt read back: hello from drydock on libvirt")
                .containsPattern("lease \\d+ is DESTROYED")
                .containsPattern("resource \\d+ is DESTROYED");
        assertThat(Virsh.names(active.group(1), "list", "--all", "--name")).as("domains left").isEmpty();
        assertThat(Virsh.names("", "vol-list", pool)).as("volumes left in " + pool).isEmpty();
    }
}
