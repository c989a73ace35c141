package dev.drydock.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The configuration {@link LibvirtHostMain} builds from its environment variables, without libvirt. */
class LibvirtHostMainConfigTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aBaseImageOnALibvirtNetworkWithTheDefaults() throws Exception {
        JsonNode config = JSON.readTree(LibvirtHostMain.config(Map.of("DRYDOCK_LIBVIRT_BASE_VOLUME", "debian-12.qcow2",
                "DRYDOCK_LIBVIRT_KEY_FILE", "/keys/vm \"key\"")));

        assertThat(config.get("hypervisors").get(0).asText()).isEqualTo("qemu:///system");
        assertThat(config.get("domainType").asText()).isEqualTo("kvm");
        assertThat(config.get("storagePool").asText()).isEqualTo("default");
        assertThat(config.get("baseVolume").asText()).isEqualTo("debian-12.qcow2");
        assertThat(config.get("network").toString()).isEqualTo("{\"mode\":\"network\",\"name\":\"default\"}");
        assertThat(config.get("privateKey").asText()).isEqualTo("file:/keys/vm \"key\"");
        assertThat(config.has("kernel")).isFalse();
        assertThat(config.has("memoryMiB")).isFalse();
    }

    @Test
    void aKernelWithUserModeNetworking() throws Exception {
        JsonNode config = JSON.readTree(LibvirtHostMain.config(Map.of("DRYDOCK_LIBVIRT_KERNEL", "/boot/vmlinux",
                "DRYDOCK_LIBVIRT_INITRD", "/boot/initrd.gz", "DRYDOCK_LIBVIRT_NETWORK", "user:2200-2209", "DRYDOCK_LIBVIRT_MEMORY_MIB", "256")));

        assertThat(config.get("kernel").asText()).isEqualTo("/boot/vmlinux");
        assertThat(config.get("initrd").asText()).isEqualTo("/boot/initrd.gz");
        assertThat(config.get("network").toString()).isEqualTo("{\"mode\":\"user\",\"sshPortRange\":\"2200-2209\",\"restrict\":true}");
        assertThat(config.get("memoryMiB").asInt()).isEqualTo(256);
    }

    @Test
    void nothingToBootIsRefusedSayingWhichVariablesToSet() {
        assertThatThrownBy(() -> LibvirtHostMain.config(Map.of()))
                .hasMessageContaining("DRYDOCK_LIBVIRT_BASE_VOLUME or DRYDOCK_LIBVIRT_KERNEL must be set");
    }
}
