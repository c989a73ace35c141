package dev.drydock.blueprint.libvirt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.blueprint.libvirt.Placement.Choice;
import dev.drydock.blueprint.libvirt.Placement.Declined;
import dev.drydock.blueprint.libvirt.Placement.Scored;
import dev.drydock.blueprint.libvirt.Published.Capacity;
import dev.drydock.blueprint.libvirt.Published.Unreachable;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The hypervisor chosen for a VM: what fits, bin-pack or spread order, deterministic ties, and a reason for every refusal. */
class PlacementTest {
    private static final Placement BINPACK = new Placement(false, 10, 512);
    private static final Placement SPREAD = new Placement(true, 10, 512);

    /** 16 GiB and 8 CPUs, {@code freeMiB} free, {@code vms} of ours using {@code vcpus}, nothing pending. */
    private static Capacity host(String uri, long freeMiB, int vms, int vcpus) {
        return new Capacity(uri, 16_384, freeMiB, 8, vms, 0, vcpus);
    }

    @Test
    void binpackFillsTheFullestHypervisorThatFitsAndSpreadTheEmptiest() {
        List<Published> hosts = List.of(host("qemu+ssh://a/system", 12_000, 1, 1), host("qemu+ssh://b/system", 4_000, 5, 5),
                host("qemu+ssh://c/system", 15_000, 0, 0));
        assertThat(BINPACK.choose(hosts, 1024, 1).ranking()).extracting(Scored::uri)
                .containsExactly("qemu+ssh://b/system", "qemu+ssh://a/system", "qemu+ssh://c/system");
        assertThat(SPREAD.choose(hosts, 1024, 1).ranking()).extracting(Scored::uri)
                .containsExactly("qemu+ssh://c/system", "qemu+ssh://a/system", "qemu+ssh://b/system");
    }

    @Test
    void scoresFollowTheDocumentedFormula() {
        // m = (8704 - 0 - 512 - 1024) / (16384 - 512) = 0.4516..., c = 1 - (2 + 2) / 8 = 0.5
        Capacity c = host("qemu:///system", 8_704, 2, 2);
        double m = (8_704.0 - 512 - 1024) / (16_384 - 512);
        double cost = Math.pow(10, m) + Math.pow(10, 0.5);
        assertThat(BINPACK.choose(List.of(c), 1024, 2).ranking().get(0).score()).isCloseTo(20 - cost, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(SPREAD.choose(List.of(c), 1024, 2).ranking().get(0).score()).isCloseTo(cost - 2, org.assertj.core.data.Offset.offset(1e-9));
        // an empty host scores 0 for bin-pack after a tiny VM, a host filled exactly scores 18
        assertThat(BINPACK.choose(List.of(new Capacity("full", 16_384, 1_536, 1, 0, 0, 0)), 1024, 1).ranking().get(0).score())
                .isCloseTo(18, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void equalScoresGoToTheHypervisorListedFirst() {
        List<Published> same = List.of(host("z", 8_000, 1, 1), host("a", 8_000, 1, 1), host("m", 8_000, 1, 1));
        assertThat(BINPACK.choose(same, 1024, 1).chosen()).contains("z");
        assertThat(SPREAD.choose(same, 1024, 1).ranking()).extracting(Scored::uri).containsExactly("z", "a", "m");
        assertThat(BINPACK.choose(same.reversed(), 1024, 1).chosen()).contains("m");
    }

    @Test
    void memoryPromisedToVmsBeingBuiltAndTheReserveAreNotFree() {
        // 2048 free - 1024 promised - 512 reserve = 512 left: a 1024 MiB VM does not fit
        Capacity promised = new Capacity("qemu:///system", 16_384, 2_048, 8, 1, 1_024, 1);
        Choice choice = BINPACK.choose(List.of(promised), 1024, 1);
        assertThat(choice.chosen()).isEmpty();
        assertThat(choice.declined()).singleElement().satisfies(d -> assertThat(d.reason())
                .isEqualTo("2048 MiB free, 1024 MiB promised to VMs being built and 512 MiB kept for the host (reserveMemoryMiB)"
                        + " leave 512 MiB, a VM needs 1024 MiB"));
        assertThat(new Placement(false, 10, 0).choose(List.of(promised), 1024, 1).chosen()).contains("qemu:///system");
        // exactly enough fits
        assertThat(BINPACK.choose(List.of(new Capacity("x", 16_384, 2_560, 8, 1, 1_024, 1)), 1024, 1).chosen()).contains("x");
    }

    @Test
    void maxVmsAndCpusLimitWhatFitsButVcpuOvercommitDoesNot() {
        Choice choice = new Placement(false, 3, 512).choose(List.of(host("full", 15_000, 3, 3), host("small", 15_000, 0, 0)), 1024, 2);
        assertThat(choice.chosen()).contains("small");
        assertThat(choice.declined()).containsExactly(new Declined("full", "holds 3 of this blueprint's VMs, its limit (maxVms 3)"));
        Choice tooBig = BINPACK.choose(List.of(host("eight", 15_000, 0, 0)), 1024, 16);
        assertThat(tooBig.declined()).containsExactly(new Declined("eight", "has 8 CPUs, a VM needs 16"));
        assertThat(BINPACK.choose(List.of(host("busy", 15_000, 8, 40)), 1024, 4).chosen()).as("vCPUs may be overcommitted").contains("busy");
    }

    @Test
    void unreachableHypervisorsAreSkippedWithTheirReason() {
        Choice choice = BINPACK.choose(List.of(new Unreachable("qemu+ssh://down/system", "Cannot recv data: Connection reset by peer"),
                host("qemu:///system", 8_000, 0, 0)), 1024, 1);
        assertThat(choice.chosen()).contains("qemu:///system");
        assertThat(choice.declined()).containsExactly(new Declined("qemu+ssh://down/system", "unreachable: Cannot recv data: Connection reset by peer"));
        assertThat(choice.explain()).startsWith("placed on qemu:///system (qemu:///system scores ")
                .endsWith("; declined: qemu+ssh://down/system: unreachable: Cannot recv data: Connection reset by peer");
    }

    @Test
    void whenNoneFitsEveryHypervisorSaysWhy() {
        Choice choice = new Placement(false, 2, 512).choose(List.of(new Unreachable("a", "connection refused"), host("b", 9_000, 2, 2),
                host("c", 1_000, 0, 0)), 1024, 1);
        assertThat(choice.chosen()).isEmpty();
        assertThat(choice.ranking()).isEmpty();
        assertThat(choice.explain()).isEqualTo("no hypervisor fits: a: unreachable: connection refused; b: holds 2 of this blueprint's VMs,"
                + " its limit (maxVms 2); c: 1000 MiB free, 0 MiB promised to VMs being built and 512 MiB kept for the host"
                + " (reserveMemoryMiB) leave 488 MiB, a VM needs 1024 MiB");
        assertThat(BINPACK.choose(List.of(new Unreachable("a", "x"), new Unreachable("b", "y")), 1024, 1).explain())
                .isEqualTo("no hypervisor fits: a: unreachable: x; b: unreachable: y");
        assertThat(BINPACK.choose(List.of(), 1024, 1).chosen()).isEmpty();
    }

    @Test
    void theConfigurationSetsPolicyLimitAndReserve() {
        Placement p = Placement.of(TestConfigs.read(TestConfigs.BASE_IMAGE, Map.of("placement", "\"spread\"", "maxVms", "4",
                "reserveMemoryMiB", "2048")));
        assertThat(p).isEqualTo(new Placement(true, 4, 2048));
        assertThat(Placement.of(TestConfigs.read(TestConfigs.BASE_IMAGE))).isEqualTo(new Placement(false, Integer.MAX_VALUE, 512));
    }
}
