package dev.drydock.interfaces.ssh;

import dev.drydock.api.InvalidRequestException;
import java.util.Objects;
import java.util.Optional;

/**
 * The private key to log in with, as text (OpenSSH, PEM or PKCS#8), already resolved by the caller
 * from a secret reference, and its passphrase if it is encrypted. {@link #toString()} never shows
 * either.
 */
public record SshCredentials(String privateKey, Optional<String> passphrase) {
    public SshCredentials {
        Objects.requireNonNull(privateKey, "privateKey");
        Objects.requireNonNull(passphrase, "passphrase");
        if (privateKey.isBlank()) {
            throw new InvalidRequestException("privateKey", "must not be blank");
        }
    }

    @Override
    public String toString() {
        return "SshCredentials[key=<redacted>, passphrase=" + (passphrase.isPresent() ? "<redacted>" : "none") + "]";
    }
}
