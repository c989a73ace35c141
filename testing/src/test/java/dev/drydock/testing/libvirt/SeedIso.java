package dev.drydock.testing.libvirt;

import dev.drydock.testing.SshKeygen;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A NoCloud seed for the test guest, made with {@code genisoimage -V cidata -J -r} as cloud-init's
 * docs do: meta-data with instance-id and local-hostname, and user-data authorising a user key and
 * giving the guest an ed25519 host key generated here, in the cloud-config form Drydock writes.
 */
record SeedIso(Path iso, Path userKey, Path hostKey) {

    /** Generates a user key and a host key in {@code keys} and writes {@code NAME.iso} into {@code dir}. */
    static SeedIso create(Path keys, Path dir, String name, String hostname) throws IOException {
        Path userKey = keys.resolve(name + "-user");
        Path hostKey = keys.resolve(name + "-host");
        SshKeygen.generate(userKey, "drydock-test-user");
        SshKeygen.generate(hostKey, "drydock-test-host");
        Path content = Files.createDirectories(keys.resolve(name + "-seed"));
        Files.writeString(content.resolve("meta-data"), "instance-id: " + name + "\nlocal-hostname: " + hostname + "\n");
        Files.writeString(content.resolve("user-data"), userData(read(SshKeygen.publicKeyOf(userKey)),
                Files.readString(hostKey), read(SshKeygen.publicKeyOf(hostKey))));
        Path iso = dir.resolve(name + ".iso");
        run(List.of("genisoimage", "-quiet", "-V", "cidata", "-J", "-r", "-o", iso.toString(),
                content.resolve("meta-data").toString(), content.resolve("user-data").toString()));
        return new SeedIso(iso, userKey, hostKey);
    }

    static String userData(String authorizedKey, String hostPrivateKey, String hostPublicKey) {
        String indented = hostPrivateKey.strip().lines().map(line -> "    " + line).collect(Collectors.joining("\n"));
        return "#cloud-config\n"
                + "ssh_authorized_keys: [ \"" + authorizedKey + "\" ]\n"
                + "ssh_keys:\n"
                + "  ed25519_private: |\n" + indented + "\n"
                + "  ed25519_public: \"" + hostPublicKey + "\"\n";
    }

    /** The host key's fingerprint, {@code SHA256:...}: the only key SSH may accept from the guest. */
    String hostKeyFingerprint() {
        return SshKeygen.fingerprint(SshKeygen.publicKeyOf(hostKey));
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8).strip();
    }

    private static void run(List<String> command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IOException(command + " failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new IOException("interrupted: " + command, e));
        }
    }
}
