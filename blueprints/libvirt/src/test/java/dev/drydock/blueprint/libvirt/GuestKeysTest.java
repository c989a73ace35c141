package dev.drydock.blueprint.libvirt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.interfaces.ssh.SshTarget;
import dev.drydock.testing.SshKeygen;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.userauth.keyprovider.KeyProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generated host key is a valid OpenSSH private key whose public half is the line we pin. */
class GuestKeysTest {
    private final GuestKeys keys = GuestKeys.generate("drydock-42");

    @Test
    void sshKeygenDerivesTheSamePublicKeyFromThePrivateKeyFile(@TempDir Path dir) throws Exception {
        assertThat(keys.privateKey()).startsWith("-----BEGIN OPENSSH PRIVATE KEY-----\n").endsWith("-----END OPENSSH PRIVATE KEY-----\n");
        assertThat(keys.publicKey()).matches("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI[A-Za-z0-9+/]{43} drydock-42");
        Path file = dir.resolve("ssh_host_ed25519_key");
        Files.writeString(file, keys.privateKey());
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        String derived = Tools.run("ssh-keygen", "-y", "-f", file.toString()).ok().output().strip();
        assertThat(firstTwo(derived)).isEqualTo(firstTwo(keys.publicKey()));
        assertThat(Tools.run("ssh-keygen", "-l", "-f", file.toString()).ok().output()).contains("drydock-42 (ED25519)");
        if (Files.isExecutable(Path.of("/usr/sbin/sshd"))) {
            Tools.run("/usr/sbin/sshd", "-t", "-f", "/dev/null", "-h", file.toString()).ok(); // sshd loads it as a host key
        }
    }

    @Test
    void sshjLoadsThePrivateKeyAndItsPublicHalfIsThePinnedOne() throws Exception {
        try (SSHClient client = new SSHClient()) {
            KeyProvider loaded = client.loadKeys(keys.privateKey(), null, null);
            assertThat(loaded.getPrivate()).isNotNull();
            assertThat(GuestKeys.publicKeyLine(loaded.getPublic())).isEqualTo(firstTwo(keys.publicKey()));
        }
        SshTarget target = new SshTarget("127.0.0.1", 2222, "root", keys.knownHostsLine("127.0.0.1", 2222));
        assertThat(target.hostKey()).isEqualTo("[127.0.0.1]:2222 " + firstTwo(keys.publicKey()));
        assertThat(keys.knownHostsLine("127.0.0.7", 22)).isEqualTo("127.0.0.7 " + firstTwo(keys.publicKey()));
    }

    @Test
    void everyVmGetsItsOwnKeyAndTheTextNeverShowsThePrivateOne() {
        assertThat(GuestKeys.generate("x").publicKey()).isNotEqualTo(GuestKeys.generate("x").publicKey());
        assertThat(keys.toString()).contains(keys.publicKey()).doesNotContain("PRIVATE KEY").doesNotContain(keys.privateKey().lines().skip(1).findFirst().orElseThrow());
        assertThat(GuestKeys.generate("").publicKey()).matches("ssh-ed25519 [A-Za-z0-9+/]+");
    }

    private static String firstTwo(String line) {
        String[] parts = line.split(" ");
        return parts[0] + " " + parts[1];
    }

    @Test
    void theFingerprintIsTheOneSshKeygenPrints(@TempDir Path dir) throws Exception {
        Path key = dir.resolve("key");
        SshKeygen.generate(key, "fingerprint");
        String line = Files.readString(SshKeygen.publicKeyOf(key)).strip();
        assertThat(GuestKeys.fingerprint(line)).isEqualTo(SshKeygen.fingerprint(SshKeygen.publicKeyOf(key)));
    }
}
