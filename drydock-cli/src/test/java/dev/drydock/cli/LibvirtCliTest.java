package dev.drydock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.testing.LibvirtEnvironment;
import dev.drydock.testing.PostgresExtension;
import dev.drydock.testing.SshKeygen;
import dev.drydock.testing.TestDatabase;
import dev.drydock.testing.Virsh;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A libvirt-host lease through the daemon and the commands, as typed, on a real libvirtd: the
 * blueprint is created from a JSON file, the lease boots a real guest on an isolated network of the
 * test's own (inside the test run's network namespace), {@code exec uname -a} runs in it as the
 * lease's holder, a file goes there and back over SFTP, and the release leaves the VM idle, which
 * is destroyed at once. Then nothing of the installation is left on the hypervisor — no domain, no
 * overlay, no seed image — and the SSH private key shows in no command's output and no daemon log.
 */
@ExtendWith(PostgresExtension.class)
class LibvirtCliTest {
    private static final Duration WAIT = Duration.ofMinutes(3);

    @RegisterExtension
    static final LibvirtEnvironment libvirt = new LibvirtEnvironment();

    @TempDir
    Path dir;
    private Process daemon;
    private Cli cli;
    private Transcript transcript;

    @AfterEach
    void tearDown() throws Exception {
        try {
            if (daemon != null) {
                daemon.destroy();
                daemon.waitFor();
            }
        } finally {
            libvirt.cleanUp();
        }
    }

    @Test
    void blueprintLeaseExecFilesReleaseAndIdleDestructionLeaveNothingOnTheHypervisor(TestDatabase db) throws Exception {
        String pool = libvirt.storagePool();
        String network = libvirt.prefix() + "net";
        int subnet = ThreadLocalRandom.current().nextInt(100, 200);
        Path networkXml = Files.writeString(dir.resolve("net.xml"), """
                <network><name>%s</name>
                  <ip address='192.168.%d.1' netmask='255.255.255.0'><dhcp><range start='192.168.%d.10' end='192.168.%d.99'/></dhcp></ip>
                </network>""".formatted(network, subnet, subnet, subnet));
        assertThat(Virsh.run("net-create", networkXml.toString()).succeeded()).isTrue();
        Path key = dir.resolve("vm-key");
        SshKeygen.generate(key, "drydock-libvirt-cli-test");
        Path config = Files.writeString(dir.resolve("vms.json"), """
                {"hypervisors": ["%s"], "domainType": "qemu", "storagePool": "%s",
                 "kernel": "%s", "initrd": "%s", "kernelCommandLine": "%s", "memoryMiB": 256,
                 "network": {"mode": "network", "name": "%s"}, "privateKey": "file:%s", "keepIdleMinutes": 0}"""
                .formatted(LibvirtEnvironment.URI, pool, LibvirtEnvironment.kernel(), LibvirtEnvironment.initrd(),
                        LibvirtEnvironment.KERNEL_COMMAND_LINE, network, key));
        cli = new Cli(db, dir);
        transcript = new Transcript(cli);

        Cli.Result created = here("blueprint", "create", "--type", "libvirt-host", "--name", "vms", "--config", config.toString(), "--limit", "2");
        assertThat(created.exitCode()).as(created.stderr()).isZero();
        Path log = Files.createTempFile(dir, "libvirt-daemon", ".log");
        daemon = cli.runningDaemon(log);

        Cli.Result leased = inItsOwnJvm("lease", "--type", "host", "--blueprint", "vms", "--deadline", "3m", "--json");
        assertThat(leased.exitCode()).as(leased.stderr() + cli.run("logs").stdout()).isZero();
        String id = Long.toString(Cli.jsonLong(leased.stdout(), "id"));
        String resourceId = Long.toString(Cli.jsonLong(leased.stdout(), "resourceId"));
        Cli.Result resource = here("resource", "show", resourceId);
        String domain = Cli.jsonString(resource.stdout(), "domain");
        String installation = domain.substring(0, domain.indexOf('-', "drydock-".length() + 36));
        assertThat(Cli.jsonString(resource.stdout(), "address")).startsWith("192.168." + subnet + ".");
        assertThat(Cli.jsonString(resource.stdout(), "hypervisor")).isEqualTo(LibvirtEnvironment.URI);
        assertThat(Virsh.names(domain, "list", "--name")).as("running, as libvirt says").containsExactly(domain);

        Cli.Result uname = inItsOwnJvm("exec", id, "--", "uname", "-a");
        assertThat(uname.exitCode()).as(uname.stderr()).isZero();
        assertThat(uname.stdout()).startsWith("Linux drydock-" + resourceId + " ");
        Path local = Files.writeString(dir.resolve("put.txt"), "over sftp into a VM\n");
        Path back = dir.resolve("back.txt");
        assertThat(inItsOwnJvm("fs", id, "put", local.toString(), "sub/file.txt").exitCode()).isZero();
        assertThat(inItsOwnJvm("fs", id, "get", "sub/file.txt", back.toString()).exitCode()).isZero();
        assertThat(back).hasSameTextualContentAs(local);

        assertThat(here("release", id).exitCode()).isZero();
        Rows.awaitStatus(db, "dd_resource", Long.parseLong(resourceId), "DESTROYED", WAIT);
        assertThat(Cli.jsonString(cli.run("resource", "show", resourceId).stdout(), "status")).as("the idle VM is destroyed")
                .isEqualTo("DESTROYED");
        assertThat(Virsh.names(installation, "list", "--all", "--name")).as("domains left").isEmpty();
        assertThat(Virsh.names(installation, "vol-list", pool)).as("overlays and seed images left").isEmpty();
        assertThat(here("logs", "--resource", resourceId).stdout()).contains("destroyed and undefined domain " + domain);

        Map<String, String> searched = transcript.printed();
        searched.put("the daemon's log", Files.readString(log));
        Transcript.assertNoneShows(searched, Transcript.privateKeySecrets(key));
    }

    private Cli.Result inItsOwnJvm(String... args) {
        return transcript.inItsOwnJvm(args);
    }

    private Cli.Result here(String... args) {
        return transcript.here(args);
    }
}
