package dev.drydock.testing.ec2;

import dev.drydock.testing.SshHost;
import dev.drydock.testing.SshKeygen;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A host key as a console prints it: the {@code ssh-keygen -l} line and the public key line. */
record HostKeys(String fingerprintLine, String publicKey) {
    static HostKeys of(SshHost sshd) {
        return new HostKeys(sshd.hostKeyFingerprintLine(), sshd.hostPublicKey());
    }

    /** A key no instance has, for consoles that must lie about their host key. */
    static HostKeys generate(Path directory) {
        Path key = directory.resolve("foreign_host_key");
        SshKeygen.generate(key, "drydock-foreign-host");
        try {
            return new HostKeys(SshKeygen.fingerprintLine(SshKeygen.publicKeyOf(key)),
                    Files.readString(SshKeygen.publicKeyOf(key)).strip());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
