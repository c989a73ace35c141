package dev.drydock.blueprint.libvirt;

import dev.drydock.api.InvalidRequestException;
import java.io.IOException;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.userauth.keyprovider.KeyProvider;

/** The public half of the key Drydock logs in to its VMs with, for each VM's authorized keys. */
final class LoginKey {
    private LoginKey() {}

    /**
     * {@code ssh-ed25519 AAAA…} (or the key's own type) of {@code privateKey}, an OpenSSH or PEM
     * private key's text; never the private key in any message.
     *
     * @throws InvalidRequestException the text is not a private key sshj can read
     */
    static String publicLine(String privateKey) {
        try (SSHClient client = new SSHClient()) {
            KeyProvider keys = client.loadKeys(privateKey, null, null);
            return GuestKeys.publicKeyLine(keys.getPublic());
        } catch (IOException | RuntimeException e) {
            throw new InvalidRequestException("privateKey", "the referenced secret is not an SSH private key that can be read"
                    + " (an unencrypted OpenSSH or PEM key is needed)");
        }
    }
}
