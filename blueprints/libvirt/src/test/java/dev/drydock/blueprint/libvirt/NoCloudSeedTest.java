package dev.drydock.blueprint.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drydock.api.spi.ObjectTags;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The seed's files say, in YAML cloud-init reads, which keys to authorize and which host key to use. */
class NoCloudSeedTest {
    static final String LOGIN_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGJ0cnlkb2NrLXRlc3Qta2V5LWZvci1zZWVkcy0wMQ drydock";
    /** A comment that breaks naive YAML: quotes, a backslash, '#', ': ' and non-ASCII. */
    static final String ODD_KEY = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQC7 a \"quoted\" \\ #not: a comment é";
    private final Names names = new Names(new ObjectTags(NamesTest.INSTALLATION, 7, 42));
    private final GuestKeys hostKeys = GuestKeys.generate(names.domain());

    @Test
    void rootGetsTheKeysWithRootLoginAllowedAndOnlyOurHostKey() throws Exception {
        NoCloudSeed seed = NoCloudSeed.of(names, "root", List.of(LOGIN_KEY, ODD_KEY), hostKeys);
        assertThat(seed.userData()).startsWith("#cloud-config\n");
        JsonNode user = yaml(seed.userData());
        assertThat(user.get("disable_root").asBoolean(true)).isFalse();
        assertThat(user.get("ssh_pwauth").asBoolean(true)).isFalse();
        assertThat(user.get("ssh_deletekeys").asBoolean()).isTrue();
        assertThat(user.get("ssh_genkeytypes")).isEmpty();
        assertThat(user.get("ssh_authorized_keys")).extracting(JsonNode::asText).containsExactly(LOGIN_KEY, ODD_KEY);
        assertThat(user.get("ssh_keys").get("ed25519_private").asText()).isEqualTo(hostKeys.privateKey());
        assertThat(user.get("ssh_keys").get("ed25519_public").asText()).isEqualTo(hostKeys.publicKey());
        assertThat(user.has("users")).isFalse();
        JsonNode meta = yaml(seed.metaData());
        assertThat(meta.get("instance-id").asText()).isEqualTo(names.domain());
        assertThat(meta.get("local-hostname").asText()).isEqualTo("drydock-42");
        assertThat(seed.toString()).doesNotContain("PRIVATE");
    }

    @Test
    void anotherUserIsCreatedWithTheKeysAndSudo() throws Exception {
        JsonNode user = yaml(NoCloudSeed.of(names, "debian", List.of(LOGIN_KEY), hostKeys).userData());
        assertThat(user.has("ssh_authorized_keys")).isFalse();
        JsonNode entry = user.get("users").get(0);
        assertThat(entry.get("name").asText()).isEqualTo("debian");
        assertThat(entry.get("sudo").asText()).isEqualTo("ALL=(ALL) NOPASSWD:ALL");
        assertThat(entry.get("lock_passwd").asBoolean()).isTrue();
        assertThat(entry.get("ssh_authorized_keys")).extracting(JsonNode::asText).containsExactly(LOGIN_KEY);
        assertThat(yaml(NoCloudSeed.of(names, "root", List.of(), hostKeys).userData()).get("ssh_authorized_keys")).isEmpty();
    }

    @Test
    void quotingEscapesWhatYamlWouldOtherwiseRead() {
        assertThat(NoCloudSeed.quote("a \"b\" \\ c")).isEqualTo("\"a \\\"b\\\" \\\\ c\"");
        assertThat(NoCloudSeed.quote("x\ny\u0001\u2028")).isEqualTo("\"x\\ny\\u0001\\u2028\"");
        assertThat(NoCloudSeed.quote("é #: -")).isEqualTo("\"é #: -\"");
    }

    @Test
    void theImageHoldsBothFilesByteForByte() {
        NoCloudSeed seed = NoCloudSeed.of(names, "root", List.of(LOGIN_KEY), hostKeys);
        IsoImage iso = IsoImage.read(seed.image());
        assertThat(iso.volumeId()).isEqualTo("cidata");
        assertThat(iso.file("META-DATA.;1")).isEqualTo(seed.metaData().getBytes(StandardCharsets.UTF_8));
        assertThat(iso.file("USER-DATA.;1")).isEqualTo(seed.userData().getBytes(StandardCharsets.UTF_8));
        assertThat(seed.image()).as("the same seed gives the same bytes").isEqualTo(seed.image());
    }

    /** user-data or meta-data as PyYAML (cloud-init's own parser) reads it, as JSON. */
    private static JsonNode yaml(String text) throws Exception {
        assumeThat(Tools.run("python3", "-c", "import yaml").exit()).as("python3 with PyYAML").isZero();
        String json = Tools.runWithInput(text, "python3", "-c", "import sys, yaml, json; print(json.dumps(yaml.safe_load(sys.stdin)))").ok().output();
        return new ObjectMapper().readTree(json);
    }
}
