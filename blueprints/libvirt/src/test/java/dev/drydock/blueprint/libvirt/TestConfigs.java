package dev.drydock.blueprint.libvirt;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;

/** Configurations read from JSON the way the engine reads them (unknown fields refused), with fields replaced or removed. */
final class TestConfigs {
    private static final ObjectMapper STRICT = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    /** A base-image VM on a libvirt network: every required field, as JSON values. */
    static final Map<String, String> BASE_IMAGE = Map.of(
            "hypervisors", "[\"qemu:///system\", \"qemu+ssh://drydock@hv2.example.com/system\"]",
            "storagePool", "\"default\"",
            "baseVolume", "\"debian-12-genericcloud-amd64.qcow2\"",
            "network", "{\"mode\": \"network\", \"name\": \"default\"}",
            "privateKey", "\"env:DRYDOCK_VM_KEY\"");
    /** A direct-kernel-boot VM with user-mode networking on local hypervisors. */
    static final Map<String, String> KERNEL_USER_MODE = Map.of(
            "hypervisors", "[\"qemu:///session\", \"test:///default\"]",
            "domainType", "\"qemu\"",
            "storagePool", "\"default\"",
            "kernel", "\"/var/lib/libvirt/boot/vmlinux\"",
            "initrd", "\"/var/lib/libvirt/boot/initrd.gz\"",
            "kernelCommandLine", "\"console=ttyS0 panic=-1 quiet\"",
            "memoryMiB", "256",
            "network", "{\"mode\": \"user\", \"sshPortRange\": \"2200-2299\", \"restrict\": true}",
            "privateKey", "\"file:/etc/drydock/vm_key\"");

    private TestConfigs() {}

    /** {@code base} with {@code changes} applied; a change to {@code null} removes the field. */
    static LibvirtConfig read(Map<String, String> base, Map<String, String> changes) {
        try {
            return STRICT.readValue(json(base, changes), LibvirtConfig.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** {@code base} with {@code changes} applied, as the JSON a blueprint is created with. */
    static String json(Map<String, String> base, Map<String, String> changes) {
        Map<String, String> fields = new LinkedHashMap<>(base);
        changes.forEach((k, v) -> {
            if (v == null) {
                fields.remove(k);
            } else {
                fields.put(k, v);
            }
        });
        StringBuilder json = new StringBuilder("{");
        fields.forEach((k, v) -> json.append(json.length() > 1 ? ", " : "").append('"').append(k).append("\": ").append(v));
        return json.append('}').toString();
    }

    static LibvirtConfig read(Map<String, String> base) {
        return read(base, Map.of());
    }
}
