package dev.drydock.interfaces.ssh;

import dev.drydock.api.InvalidRequestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.common.KeyType;

/**
 * The one host key a target trusts, parsed from {@link SshTarget#hostKey()}: a pinned
 * {@code SHA256:} fingerprint or the key of a known_hosts line. Only the key is compared; the
 * line's host field is not consulted, because the line is configured for this one target.
 * Immutable.
 */
final class PinnedHostKey {
    private static final String SHA256 = "SHA256:";

    /** The fingerprint's digest, or empty when a whole key is pinned. */
    private final byte[] digest;
    /** The key blob of a known_hosts line, or empty when only a fingerprint is pinned. */
    private final byte[] blob;
    private final String keyType;

    private PinnedHostKey(byte[] digest, byte[] blob, String keyType) {
        this.digest = digest;
        this.blob = blob;
        this.keyType = keyType;
    }

    /** Parses {@code value}, refusing anything but the two accepted forms with an error naming {@code field}. */
    static PinnedHostKey parse(String field, String value) {
        String text = value.strip();
        if (text.startsWith(SHA256)) {
            byte[] digest = decode(text.substring(SHA256.length()));
            if (digest == null || digest.length != 32) {
                throw new InvalidRequestException(field, "'" + text + "' is not a SHA256 fingerprint: expected 'SHA256:'"
                        + " followed by 43 base64 characters, as `ssh-keygen -lf` prints it");
            }
            return new PinnedHostKey(digest, new byte[0], "");
        }
        String[] fields = text.split("\\s+");
        if (fields.length < 3 || fields[0].startsWith("@")) {
            throw new InvalidRequestException(field, "expected a pinned fingerprint 'SHA256:...' or a known_hosts line"
                    + " 'HOST KEYTYPE BASE64KEY' (as `ssh-keyscan -p PORT HOST` prints it), got '" + abbreviate(text) + "'");
        }
        byte[] blob = decode(fields[2]);
        if (blob == null || !fields[1].equals(blobType(blob))) {
            throw new InvalidRequestException(field, "the known_hosts line's key is not a valid " + fields[1]
                    + " key in base64");
        }
        return new PinnedHostKey(sha256(blob), blob, fields[1]);
    }

    boolean matches(PublicKey offered) {
        byte[] offeredBlob = blobOf(offered);
        return blob.length > 0 ? Arrays.equals(blob, offeredBlob) : MessageDigest.isEqual(digest, sha256(offeredBlob));
    }

    /** Host key algorithms to ask for, so the server presents the pinned key's type; empty when unknown. */
    List<String> algorithms() {
        return switch (keyType) {
            case "" -> List.of();
            case "ssh-rsa" -> List.of("rsa-sha2-512", "rsa-sha2-256", "ssh-rsa");
            default -> List.of(keyType);
        };
    }

    /** How the configured key is described in a rejection: its fingerprint and form. */
    String describe() {
        String fingerprint = SHA256 + Base64.getEncoder().withoutPadding().encodeToString(digest);
        return blob.length > 0 ? "known_hosts key " + keyType + " " + fingerprint : "fingerprint " + fingerprint;
    }

    /** {@code SHA256:...} of a key, as {@code ssh-keygen -lf} prints it. */
    static String fingerprint(PublicKey key) {
        return SHA256 + Base64.getEncoder().withoutPadding().encodeToString(sha256(blobOf(key)));
    }

    static String typeOf(PublicKey key) {
        return KeyType.fromKey(key).toString();
    }

    private static byte[] blobOf(PublicKey key) {
        return new Buffer.PlainBuffer().putPublicKey(key).getCompactData();
    }

    // The blob starts with its key type as an SSH string.
    private static String blobType(byte[] blob) {
        try {
            return new Buffer.PlainBuffer(blob).readString();
        } catch (Buffer.BufferException e) {
            return null;
        }
    }

    private static byte[] decode(String base64) {
        try {
            return Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static String abbreviate(String text) {
        String oneLine = text.replace('\n', ' ');
        return oneLine.length() <= 80 ? oneLine : oneLine.substring(0, 77) + "...";
    }
}
