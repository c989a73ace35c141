package dev.drydock.blueprint.libvirt;

import dev.drydock.testing.LibvirtEnvironment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What this module's real-libvirt tests share (besides {@link LibvirtEnvironment#storagePool()}): a login key,
 * and a blueprint configuration that boots the test guest ({@link LibvirtEnvironment}) with 256 MiB
 * and one vCPU, destroyed as soon as it is idle.
 */
final class TestVms {
    private TestVms() {}

    /** A fresh ed25519 private key in {@code dir}, readable by its owner only. */
    static Path loginKey(Path dir) throws IOException {
        Path key = dir.resolve("login");
        Files.writeString(key, GuestKeys.generate("drydock-test-login").privateKey());
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        return key;
    }

    /** User-mode networking on ten random ports of 127.0.0.1, the guest cut off from everything else. */
    static String userMode() {
        int first = 20_000 + ThreadLocalRandom.current().nextInt(20_000);
        return "{\"mode\": \"user\", \"sshPortRange\": \"" + first + "-" + (first + 9) + "\", \"restrict\": true}";
    }

    /**
     * The configuration's JSON: the test guest on the local libvirtd, {@code networkJson}, and
     * {@code extraFields} ({@code "\"capacity\": 2, "} or empty) added.
     */
    static String config(String pool, Path key, String networkJson, String extraFields) {
        return config(pool, key, networkJson, LibvirtEnvironment.KERNEL_COMMAND_LINE, extraFields);
    }

    /** As {@link #config(String, Path, String, String)}, with the guest's kernel command line given. */
    static String config(String pool, Path key, String networkJson, String kernelCommandLine, String extraFields) {
        return """
                {%s"hypervisors": ["%s"], "domainType": "qemu", "storagePool": "%s",
                 "kernel": "%s", "initrd": "%s", "kernelCommandLine": "%s", "memoryMiB": 256, "vcpus": 1,
                 "network": %s, "privateKey": "file:%s", "keepIdleMinutes": 0}"""
                .formatted(extraFields, LibvirtEnvironment.URI, pool, LibvirtEnvironment.kernel(), LibvirtEnvironment.initrd(),
                        kernelCommandLine, networkJson, key);
    }
}
