package dev.drydock.interfaces.ssh;

import dev.drydock.api.InvalidRequestException;
import java.io.IOException;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.userauth.keyprovider.KeyFormat;
import net.schmizz.sshj.userauth.keyprovider.KeyProvider;
import net.schmizz.sshj.userauth.keyprovider.KeyProviderUtil;
import net.schmizz.sshj.userauth.password.PasswordFinder;
import net.schmizz.sshj.userauth.password.PasswordUtils;

/**
 * Reads {@link SshCredentials} into an sshj key, eagerly, so a bad key or passphrase is reported as
 * such before any connection is made. Error messages never quote the key.
 */
final class PrivateKeys {
    private PrivateKeys() {}

    static KeyProvider load(SSHClient client, SshCredentials credentials) {
        String text = credentials.privateKey();
        KeyFormat format;
        try {
            format = KeyProviderUtil.detectKeyFileFormat(text, false);
        } catch (IOException e) {
            throw unreadable("its format could not be detected", e, text);
        }
        if (format == KeyFormat.Unknown) {
            throw new InvalidRequestException("privateKey", "is not a private key in a format sshj reads"
                    + " (OpenSSH, PEM, PKCS#8 or PuTTY)");
        }
        PasswordFinder passphrase = credentials.passphrase()
                .map(p -> PasswordUtils.createOneOff(p.toCharArray()))
                .orElse(null);
        try {
            // The String overload takes the key's text itself (the one-argument overload takes a file name).
            KeyProvider key = client.loadKeys(text, null, passphrase);
            key.getPrivate();
            key.getPublic();
            return key;
        } catch (IOException | RuntimeException e) {
            throw unreadable(credentials.passphrase().isPresent() ? "wrong passphrase or a damaged key"
                    : "a damaged key, or an encrypted one given without its passphrase", e, text);
        }
    }

    private static InvalidRequestException unreadable(String why, Exception e, String key) {
        String detail = e.getMessage() == null || mentionsKey(e.getMessage(), key) ? e.getClass().getSimpleName()
                : e.getMessage();
        return new InvalidRequestException("privateKey", "could not be read (" + why + "): " + detail);
    }

    // Refuse to repeat a message that quotes any line of the key.
    private static boolean mentionsKey(String message, String key) {
        return key.lines().map(String::strip).filter(line -> line.length() >= 8 && !line.startsWith("-----"))
                .anyMatch(message::contains);
    }
}
