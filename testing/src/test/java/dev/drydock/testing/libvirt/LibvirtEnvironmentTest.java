package dev.drydock.testing.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drydock.testing.LibvirtEnvironment;
import dev.drydock.testing.SshKeygen;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import net.schmizz.sshj.sftp.SFTPClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.DomainInterface;
import org.libvirt.Network;

/**
 * Proves the real-libvirt test environment with libvirt-java alone (no blueprint): the test guest
 * boots under libvirtd, reads a NoCloud seed, and answers SSH with the host key the seed gave it,
 * once on an isolated libvirt network (IP from the DHCP lease) and once with user-mode networking
 * (port forwarded on 127.0.0.1). Two boots; each prints its create-to-SSH time.
 */
class LibvirtEnvironmentTest {
    private static final Duration BOOT_TIMEOUT = Duration.ofSeconds(180);

    @RegisterExtension
    static final LibvirtEnvironment libvirt = new LibvirtEnvironment();

    @TempDir
    Path keys;

    private Connect connect;

    @BeforeEach
    void connect() throws Exception {
        connect = new Connect(LibvirtEnvironment.URI);
    }

    @AfterEach
    void cleanUp() throws Exception {
        try {
            libvirt.cleanUp();
            assertThat(libvirt.leftovers()).isEmpty();
        } finally {
            connect.close();
        }
    }

    @Test
    void guestOnAnIsolatedNetworkIsReachedAtItsDhcpLease() throws Exception {
        String name = libvirt.prefix() + "isolated";
        SeedIso seed = SeedIso.create(keys, libvirt.scratchDirectory(), name, "isolated-guest");
        int subnet = ThreadLocalRandom.current().nextInt(100, 200);
        Network network = connect.networkCreateXML(GuestXml.isolatedNetwork(name, subnet));
        String mac = GuestXml.mac(name);
        Domain domain = connect.domainDefineXML(GuestXml.domain(name, GuestXml.networkInterface(name, mac),
                GuestXml.cdrom(seed.iso()), ""));

        long start = System.nanoTime();
        domain.create();
        String ip = awaitLeasedAddress(domain, mac, name);
        long leased = System.nanoTime();
        assertThat(ip).startsWith("192.168." + subnet + ".");
        try (GuestSsh ssh = GuestSsh.await(ip, 22, seed.hostKeyFingerprint(), seed.userKey(), BOOT_TIMEOUT)) {
            String uname = ssh.exec("uname -a");
            System.out.printf("isolated network: lease %s after %.1f s, `uname -a` over SSH after %.1f s%n",
                    ip, seconds(start, leased), seconds(start, System.nanoTime()));
            assertThat(uname).startsWith("Linux isolated-guest ");
            assertFilesTravel(ssh);
        }
        assertOtherHostKeysRefused(ip, 22, seed);

        domain.destroy();
        domain.undefine();
        network.destroy();
        assertThat(libvirt.leftovers()).isEmpty();
    }

    @Test
    void guestWithUserModeNetworkingIsReachedOnAForwardedLoopbackPort() throws Exception {
        String name = libvirt.prefix() + "usermode";
        SeedIso seed = SeedIso.create(keys, libvirt.scratchDirectory(), name, "usermode-guest");
        int port = freeLoopbackPort();
        Domain domain = connect.domainDefineXML(GuestXml.domain(name, "", GuestXml.virtioDisk(seed.iso()),
                GuestXml.userModeNetwork(port, GuestXml.mac(name))));

        long start = System.nanoTime();
        domain.create();
        try (GuestSsh ssh = GuestSsh.await("127.0.0.1", port, seed.hostKeyFingerprint(), seed.userKey(), BOOT_TIMEOUT)) {
            String uname = ssh.exec("uname -a");
            System.out.printf("user-mode networking: `uname -a` over SSH on 127.0.0.1:%d after %.1f s%n",
                    port, seconds(start, System.nanoTime()));
            assertThat(uname).startsWith("Linux usermode-guest ");
            assertFilesTravel(ssh);
        } catch (IOException e) {
            throw new AssertionError(e.getMessage() + "\nserial console:\n" + LibvirtEnvironment.serialOutput(name), e);
        }

        domain.destroy();
        domain.undefine();
        assertThat(libvirt.leftovers()).isEmpty();
    }

    private String awaitLeasedAddress(Domain domain, String mac, String name) throws Exception {
        long deadline = System.nanoTime() + BOOT_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<String> ip = leasedAddress(domain, mac);
            if (ip.isPresent()) {
                return ip.get();
            }
            Thread.sleep(200); // libvirt has no event for a new DHCP lease
        }
        throw new AssertionError("no DHCP lease for " + mac + " within " + BOOT_TIMEOUT
                + "; serial console:\n" + LibvirtEnvironment.serialOutput(name));
    }

    private static Optional<String> leasedAddress(Domain domain, String mac) throws Exception {
        for (DomainInterface nic : domain.interfaceAddresses(
                Domain.InterfaceAddressesSource.VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_LEASE, 0)) {
            if (mac.equalsIgnoreCase(nic.hwAddr)) {
                for (DomainInterface.InterfaceAddress address : nic.addrs) {
                    if (address.address.getAddress().length == 4) {
                        return Optional.of(address.address.getHostAddress());
                    }
                }
            }
        }
        return Optional.empty();
    }

    private void assertFilesTravel(GuestSsh ssh) throws IOException {
        Path local = Files.writeString(keys.resolve("sent.txt"), "over SFTP to the guest\n");
        Path back = keys.resolve("received.txt");
        try (SFTPClient sftp = ssh.sftp()) {
            sftp.put(local.toString(), "/root/sent.txt");
            sftp.get("/root/sent.txt", back.toString());
        }
        assertThat(back).hasSameTextualContentAs(local);
        assertThat(ssh.exec("cat /root/sent.txt")).isEqualTo("over SFTP to the guest\n");
    }

    // The seed's host key is the only one accepted: pinned to another key, the login is refused.
    private static void assertOtherHostKeysRefused(String host, int port, SeedIso seed) {
        String otherKey = SshKeygen.fingerprint(SshKeygen.publicKeyOf(seed.userKey()));
        assertThatThrownBy(() -> GuestSsh.connect(host, port, otherKey, seed.userKey()).close())
                .hasMessageContaining("Could not verify `ssh-ed25519` host key");
    }

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static double seconds(long from, long to) {
        return (to - from) / 1e9;
    }
}
