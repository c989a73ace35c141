package dev.drydock.blueprint.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drydock.api.spi.ObjectTags;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Names come from the owner alone, read back to it, and never match another installation's or a stranger's. */
class NamesTest {
    static final String INSTALLATION = "3f0c9a52-1b7e-4d2a-9c61-0e5b8a7d4f10";
    private final Names names = new Names(new ObjectTags(INSTALLATION, 7, 42));

    @Test
    void everyNameCarriesThePrefixAndTheIdsAndIsTheSameOnARetry() {
        assertThat(names.domain()).isEqualTo("drydock-" + INSTALLATION + "-7-42");
        assertThat(names.overlayVolume()).isEqualTo(names.domain() + "-disk.qcow2");
        assertThat(names.seedVolume()).isEqualTo(names.domain() + "-seed.iso");
        assertThat(names.hostname()).isEqualTo("drydock-42");
        Names again = new Names(new ObjectTags(INSTALLATION, 7, 42));
        assertThat(again.domain()).isEqualTo(names.domain());
        assertThat(again.mac()).isEqualTo(names.mac());
    }

    @Test
    void theMacIsLocallyAdministeredUnicastAndDiffersPerResourceAndInstallation() {
        assertThat(names.mac()).matches("52:54:00(:[0-9a-f]{2}){3}");
        int first = Integer.parseInt(names.mac().substring(0, 2), 16);
        assertThat(first & 0x02).as("locally administered").isEqualTo(2);
        assertThat(first & 0x01).as("unicast").isZero();
        Set<String> macs = new HashSet<>();
        IntStream.range(0, 1000).forEach(r -> macs.add(new Names(new ObjectTags(INSTALLATION, 7, r)).mac()));
        assertThat(macs).hasSize(1000);
        assertThat(new Names(new ObjectTags("another-installation", 7, 42)).mac()).isNotEqualTo(names.mac());
        assertThat(new Names(new ObjectTags(INSTALLATION, 8, 42)).mac()).as("the resource decides, not the blueprint").isEqualTo(names.mac());
    }

    @Test
    void ourNamesReadBackToTheirOwner() {
        for (String name : new String[] {names.domain(), names.overlayVolume(), names.seedVolume()}) {
            assertThat(Names.parse(INSTALLATION, name)).as(name).contains(names.tags());
        }
    }

    @Test
    void anythingElseHasNoOwner() {
        for (String name : new String[] {"debian-12.qcow2", "drydock-" + INSTALLATION, "drydock-" + INSTALLATION + "-7",
                "drydock-" + INSTALLATION + "-7-42-other.img", "drydock-" + INSTALLATION + "-7-42.bak", "x" + names.domain(),
                "drydock-" + INSTALLATION + "-7-99999999999999999999", "drydock-" + INSTALLATION + "--7-42", null}) {
            assertThat(Names.parse(INSTALLATION, name)).as(name).isEmpty();
        }
        assertThat(Names.parse("3f0c9a52", names.domain())).as("a prefix of our installation id is another installation").isEmpty();
        assertThat(Names.parse(INSTALLATION + "-7", names.domain())).isEmpty();
    }

    @Test
    void anInstallationIdThatCannotBePartOfANameIsRefused() {
        assertThatThrownBy(() -> new Names(new ObjectTags("a/b", 1, 1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Names(new ObjectTags("-a", 1, 1))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theSshPortStartsAtTheResourcesOffsetAndSkipsTakenOnes() {
        assertThat(names.sshPort(2200, 2209, Set.of())).contains(2202);
        assertThat(names.sshPort(2200, 2209, Set.of(2202, 2203))).contains(2204);
        assertThat(names.sshPort(2200, 2201, Set.of(2200, 2201))).isEmpty();
        assertThat(names.sshPort(2200, 2202, Set.of(2200))).contains(2201);
    }
}
