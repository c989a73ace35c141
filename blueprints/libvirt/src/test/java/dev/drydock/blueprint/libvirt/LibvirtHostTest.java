package dev.drydock.blueprint.libvirt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.api.CommandResult;
import dev.drydock.api.Lease;
import dev.drydock.api.LeaseRequest;
import dev.drydock.api.ResourceStatus;
import dev.drydock.core.Drydock;
import dev.drydock.core.EngineCleanUp;
import dev.drydock.taskqueue.Taskmaster;
import dev.drydock.testing.Await;
import dev.drydock.testing.LeakCheck;
import dev.drydock.testing.LibvirtEnvironment;
import dev.drydock.testing.PostgresExtension;
import dev.drydock.testing.TestDatabase;
import dev.drydock.testing.Virsh;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.libvirt.Connect;

/**
 * Leases on VMs the libvirt-host blueprint really boots under a real libvirtd (TCG), on an isolated
 * network of the test's own (address from the DHCP lease) and with user-mode networking (SSH
 * forwarded on 127.0.0.1): a command and a file through the lease, then release, and nothing of
 * the blueprint's left on the hypervisor — no domain, no volume.
 */
@ExtendWith({PostgresExtension.class, LeakCheck.class})
class LibvirtHostTest {
    private static final Duration BOOT = Duration.ofMinutes(3);

    @RegisterExtension
    static final LibvirtEnvironment libvirt = new LibvirtEnvironment();

    @TempDir
    Path keys;

    private Connect connect;
    private String pool;

    @BeforeEach
    void setUp() throws Exception {
        connect = new Connect(LibvirtEnvironment.URI);
        pool = libvirt.storagePool();
    }

    @AfterEach
    void tearDown() throws Exception {
        try {
            libvirt.cleanUp();
        } finally {
            connect.close();
        }
    }

    @Test
    void aLeaseOnAVmOfAnIsolatedNetworkRunsCommandsAndMovesFilesAndLeavesNothing(TestDatabase db) throws Exception {
        String network = libvirt.prefix() + "net";
        int subnet = ThreadLocalRandom.current().nextInt(100, 200);
        connect.networkCreateXML("""
                <network xmlns:dnsmasq='http://libvirt.org/schemas/network/dnsmasq/1.0'>
                  <name>%s</name>
                  <ip address='192.168.%d.1' netmask='255.255.255.0'><dhcp><range start='192.168.%d.10' end='192.168.%d.99'/></dhcp></ip>
                  <dnsmasq:options><dnsmasq:option value='no-ping'/></dnsmasq:options>
                </network>""".formatted(network, subnet, subnet, subnet)).free();
        leaseRunAndRelease(db, "vms-on-a-network", "{\"mode\": \"network\", \"name\": \"" + network + "\"}", "192.168." + subnet + ".");
    }

    @Test
    void aLeaseOnAVmWithUserModeNetworkingIsReachedOnTheLoopback(TestDatabase db) throws Exception {
        leaseRunAndRelease(db, "vms-in-user-mode", TestVms.userMode(), "127.0.0.1:");
    }

    private void leaseRunAndRelease(TestDatabase db, String blueprint, String networkJson, String addressPrefix) throws Exception {
        String config = TestVms.config(pool, TestVms.loginKey(keys), networkJson, "\"capacity\": 2, ");
        try (Drydock drydock = Drydock.builder(db.dataSource()).register(new LibvirtHostBlueprint()).build();
             Taskmaster tm = drydock.taskmaster().threads(4).pollInterval(Duration.ofMillis(200)).build().start()) {
            drydock.blueprints().create(blueprint, LibvirtHostBlueprint.TYPE, config, 2);
            String installationPrefix;
            try (Lease lease = drydock.allocator().acquire(LeaseRequest.builder("host").blueprint(blueprint).acquireDeadline(BOOT).build())) {
                lease.await(BOOT);
                var resource = drydock.resources().stream().filter(r -> r.id() == lease.info().resourceId().orElseThrow()).findFirst().orElseThrow();
                assertThat(resource.attributes().get("address")).startsWith(addressPrefix);
                installationPrefix = resource.attributes().get("domain").substring(0, resource.attributes().get("domain").lastIndexOf('-'));
                assertThat(Virsh.names(resource.attributes().get("domain"), "list", "--name")).as("running, as libvirt says").hasSize(1);

                CommandResult uname = lease.commandInterface().run(dev.drydock.api.Command.builder(java.util.List.of("uname", "-a")).build());
                assertThat(uname.stdoutText()).startsWith("Linux drydock-" + resource.id() + " ");
                lease.filesystemInterface().write("hello.txt", "from the test\n".getBytes(StandardCharsets.UTF_8));
                assertThat(new String(lease.filesystemInterface().read("hello.txt"), StandardCharsets.UTF_8)).isEqualTo("from the test\n");
            }
            Await.until("the VM is destroyed once idle", BOOT, () -> drydock.resources().stream()
                    .filter(r -> r.blueprintName().equals(blueprint)).allMatch(r -> r.status() == ResourceStatus.DESTROYED));
            assertThat(Virsh.names(installationPrefix, "list", "--all", "--name")).as("domains left").isEmpty();
            assertThat(Virsh.names(installationPrefix, "vol-list", pool)).as("volumes left").isEmpty();
            EngineCleanUp.destroyEverything(drydock);
            drydock.blueprints().delete(blueprint);
        }
    }
}
