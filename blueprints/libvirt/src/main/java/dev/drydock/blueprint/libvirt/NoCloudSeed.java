package dev.drydock.blueprint.libvirt;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * A cloud-init NoCloud seed: the {@code meta-data} and {@code user-data} files, and the ISO 9660
 * image labelled {@code cidata} that carries them, as real cloud images look for it.
 *
 * <p>The user data authorizes the login keys for {@code sshUser} (root: top-level
 * {@code ssh_authorized_keys} with {@code disable_root: false}; anyone else: a {@code users} entry
 * with passwordless sudo, replacing the image's default user), installs the host key Drydock
 * generated ({@code ssh_keys}), deletes the image's own host keys and generates no others, so the
 * only host key the VM can offer is the pinned one. Every scalar is a double-quoted YAML string
 * except the private key, a literal block; {@link #toString()} never shows the private key.
 *
 * @param metaData the {@code meta-data} file: {@code instance-id} (the domain name) and {@code local-hostname}
 * @param userData the {@code user-data} file, starting {@code #cloud-config}
 */
record NoCloudSeed(String metaData, String userData) {
    static final String LABEL = "cidata";

    static NoCloudSeed of(Names names, String sshUser, List<String> authorizedKeys, GuestKeys hostKeys) {
        String metaData = "instance-id: " + quote(names.domain()) + "\nlocal-hostname: " + quote(names.hostname()) + "\n";
        StringBuilder user = new StringBuilder("#cloud-config\n");
        user.append("ssh_pwauth: false\n");
        user.append("ssh_deletekeys: true\n");
        user.append("ssh_genkeytypes: []\n");
        if (sshUser.equals("root")) {
            user.append("disable_root: false\n");
            keys(user, "", authorizedKeys);
        } else {
            user.append("users:\n");
            user.append("  - name: ").append(quote(sshUser)).append('\n');
            user.append("    sudo: ").append(quote("ALL=(ALL) NOPASSWD:ALL")).append('\n');
            user.append("    lock_passwd: true\n");
            keys(user, "    ", authorizedKeys);
        }
        user.append("ssh_keys:\n");
        user.append("  ed25519_private: |\n");
        hostKeys.privateKey().lines().forEach(line -> user.append("    ").append(line).append('\n'));
        user.append("  ed25519_public: ").append(quote(hostKeys.publicKey())).append('\n');
        return new NoCloudSeed(metaData, user.toString());
    }

    /** The ISO 9660 image, labelled {@code cidata}, holding {@code meta-data} and {@code user-data}. */
    byte[] image() {
        return Iso9660.image(LABEL, Map.of("meta-data", metaData.getBytes(StandardCharsets.UTF_8),
                "user-data", userData.getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public String toString() {
        return "NoCloudSeed[" + metaData.replace('\n', ' ').strip() + ", user-data <redacted>]";
    }

    private static void keys(StringBuilder user, String indent, List<String> keys) {
        user.append(indent).append("ssh_authorized_keys:").append(keys.isEmpty() ? " []\n" : "\n");
        keys.forEach(k -> user.append(indent).append("  - ").append(quote(k.strip())).append('\n'));
    }

    /** A YAML double-quoted scalar: backslash, quote and every control character escaped. */
    static String quote(String value) {
        StringBuilder out = new StringBuilder("\"");
        value.codePoints().forEach(c -> {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f || c == 0x85 || c == 0x2028 || c == 0x2029) {
                        out.append(String.format("\\u%04x", c));
                    } else {
                        out.appendCodePoint(c);
                    }
                }
            }
        });
        return out.append('"').toString();
    }
}
