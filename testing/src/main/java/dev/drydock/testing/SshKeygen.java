package dev.drydock.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs {@code ssh-keygen} for the SSH fixtures: fresh unencrypted ed25519 key pairs and fingerprints. */
public final class SshKeygen {
    private static final String SSH_KEYGEN = "ssh-keygen";

    private SshKeygen() {}

    /** Writes a new key pair to {@code privateKey} and {@code privateKey.pub}, replacing any there. */
    public static void generate(Path privateKey, String comment) {
        try {
            Files.deleteIfExists(privateKey);
            Files.deleteIfExists(publicKeyOf(privateKey));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        run(List.of(SSH_KEYGEN, "-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", privateKey.toString()));
    }

    public static Path publicKeyOf(Path privateKey) {
        return privateKey.resolveSibling(privateKey.getFileName() + ".pub");
    }

    /** The SHA256 fingerprint of a public key file, as {@code ssh-keygen -lf} prints it: {@code SHA256:...}. */
    public static String fingerprint(Path publicKey) {
        return fingerprintLine(publicKey).split("\\s+")[1];
    }

    /** The whole line {@code ssh-keygen -lf} prints: {@code 256 SHA256:... comment (ED25519)}. */
    public static String fingerprintLine(Path publicKey) {
        String line = run(List.of(SSH_KEYGEN, "-l", "-E", "sha256", "-f", publicKey.toString())).strip();
        String[] fields = line.split("\\s+");
        if (fields.length < 2 || !fields[1].startsWith("SHA256:")) {
            throw new IllegalStateException("unexpected ssh-keygen -lf output: " + line);
        }
        return line;
    }

    private static String run(List<String> command) {
        List<String> argv = new ArrayList<>(command);
        try {
            Process process = new ProcessBuilder(argv).redirectErrorStream(true).start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("timed out: " + argv);
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(argv + " exited with " + process.exitValue() + ": " + output);
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException("could not run " + argv, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + argv, e);
        }
    }
}
