package dev.drydock.blueprint.libvirt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.api.spi.ConfigField;
import dev.drydock.api.spi.ConfigProblem;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A libvirt-host configuration is checked all at once: each mistake names its field and what to write instead. */
class ConfigChecksTest {
    @Test
    void validConfigurationsHaveNoProblemsAndTheirDefaultsApply() {
        LibvirtConfig base = TestConfigs.read(TestConfigs.BASE_IMAGE);
        assertThat(ConfigChecks.problems(base)).isEmpty();
        assertThat(base.domainTypeOrDefault()).isEqualTo("kvm");
        assertThat(base.baseFormatOrDefault()).isEqualTo("qcow2");
        assertThat(base.memoryMiBOrDefault()).isEqualTo(1024);
        assertThat(base.vcpusOrDefault()).isEqualTo(1);
        assertThat(base.sshUserOrDefault()).isEqualTo("root");
        assertThat(base.maxVmsOrUnlimited()).isEqualTo(Integer.MAX_VALUE);
        assertThat(base.reserveMemoryMiBOrDefault()).isEqualTo(512);
        assertThat(base.spreads()).isFalse();
        assertThat(base.bootTimeout()).hasSeconds(300);
        assertThat(base.keepIdle()).isZero();

        LibvirtConfig kernel = TestConfigs.read(TestConfigs.KERNEL_USER_MODE);
        assertThat(ConfigChecks.problems(kernel)).isEmpty();
        assertThat(kernel.network().isUserMode()).isTrue();
        assertThat(kernel.network().restricted()).isTrue();
        assertThat(kernel.network().ports()).containsExactly(2200, 2299);
        assertThat(ConfigChecks.problems(TestConfigs.read(TestConfigs.BASE_IMAGE, Map.of("kernel", "\"/boot/vmlinux\"")))).isEmpty();
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', value = {
            "hypervisors       | []                                  | hypervisors           | required: a list of libvirt URIs",
            "hypervisors       | [\"xen:///system\"]                   | hypervisors[0]        | is not a QEMU or test driver URI",
            "hypervisors       | [\"qemu:///root\"]                    | hypervisors[0]        | must end in /system or /session",
            "hypervisors       | [\"qemu+ssh://u:pw@h/system\"]        | hypervisors[0]        | must not carry a password",
            "hypervisors       | [\"qemu+ssh:///system\"]              | hypervisors[0]        | names no host",
            "hypervisors       | [\"qemu:///system\", \"qemu:///system\"] | hypervisors         | lists a hypervisor twice",
            "domainType        | \"xen\"                               | domainType            | must be 'kvm' (the default) or 'qemu'",
            "storagePool       | \"../pool\"                           | storagePool           | required: the name of a storage pool",
            "baseVolume        | \"a/b.qcow2\"                         | baseVolume            | must be a volume name",
            "baseFormat        | \"vmdk\"                              | baseFormat            | must be 'qcow2' (the default) or 'raw'",
            "kernel            | \"vmlinux\"                           | kernel                | must be an absolute path",
            "memoryMiB         | 32                                  | memoryMiB             | MiB must be 64 to 1048576, was 32 (default 1024)",
            "vcpus             | 0                                   | vcpus                 | virtual CPUs must be 1 to 256",
            "network           | {\"mode\": \"bridge\"}                  | network.mode          | must be 'network' (a libvirt network with DHCP) or 'user'",
            "network           | {\"mode\": \"network\"}                 | network.name          | required with mode network",
            "sshUser           | \"Root User\"                         | sshUser               | must be a login name",
            "privateKey        | \"-----BEGIN OPENSSH PRIVATE KEY-----\" | privateKey          | must be a reference such as file:PATH",
            "authorizedKeys    | [\"hello\"]                           | authorizedKeys[0]     | must be one public key line",
            "maxVms            | 0                                   | maxVms                | VMs per hypervisor must be 1 to 10000, was 0 (default: no limit)",
            "reserveMemoryMiB  | -1                                  | reserveMemoryMiB      | MiB must be 0 to 1048576",
            "placement         | \"random\"                            | placement             | must be 'binpack' (the default) or 'spread'",
            "capacity          | 0                                   | capacity              | leases per VM must be 1 to 1000",
            "readinessCommand  | [\"\"]                                | readinessCommand      | must be an argv list of non-empty strings",
            "keepIdleMinutes   | -1                                  | keepIdleMinutes       | minutes must be 0 to 10080",
            "bootTimeoutSeconds| 5                                   | bootTimeoutSeconds    | seconds must be 10 to 3600",
            "attributes        | {\"bad name\": \"x\"}                   | attributes            | is not an attribute name"})
    void aMistakeIsNamedWithItsFieldAndWhatToWrite(String field, String value, String problemField, String expected) {
        List<ConfigProblem> problems = ConfigChecks.problems(TestConfigs.read(TestConfigs.BASE_IMAGE, Map.of(field, value)));
        assertThat(problems).as(problems.toString()).singleElement().satisfies(p -> {
            assertThat(p.field()).isEqualTo(problemField);
            assertThat(p.problem()).contains(expected == null ? "" : expected);
        });
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        Map<String, String> broken = new HashMap<>();
        broken.put("hypervisors", "[\"ftp://x\"]");
        broken.put("storagePool", null);
        broken.put("baseVolume", null);
        broken.put("memoryMiB", "1");
        broken.put("network", null);
        broken.put("privateKey", null);
        broken.put("placement", "\"x\"");
        assertThat(ConfigChecks.problems(TestConfigs.read(TestConfigs.BASE_IMAGE, broken))).extracting(ConfigProblem::field)
                .containsExactlyInAnyOrder("hypervisors[0]", "storagePool", "baseVolume", "memoryMiB", "network", "privateKey", "placement");
    }

    @Test
    void anInlineSecretIsRefusedWithoutBeingQuoted() {
        String secret = "AAAAC3NzaC1lZDI1NTE5AAAAIH1s3cr3tK3y";
        assertThat(ConfigChecks.problems(TestConfigs.read(TestConfigs.BASE_IMAGE, Map.of("privateKey", "\"" + secret + "\""))))
                .singleElement().satisfies(p -> assertThat(p.problem()).doesNotContain(secret));
    }

    @Test
    void userModeIsForLocalHypervisorsOnly() {
        assertThat(ConfigChecks.problems(TestConfigs.read(TestConfigs.KERNEL_USER_MODE,
                Map.of("hypervisors", "[\"qemu:///system\", \"qemu+ssh://drydock@hv2/system\"]"))))
                .singleElement().satisfies(p -> {
                    assertThat(p.field()).isEqualTo("network.mode");
                    assertThat(p.problem()).contains("127.0.0.1").contains("use a libvirt network for remote hypervisors");
                });
        for (String range : List.of("\"2299-2200\"", "\"80-90\"", "\"2200\"", "\"2200-70000\"")) {
            assertThat(ConfigChecks.problems(TestConfigs.read(TestConfigs.KERNEL_USER_MODE,
                    Map.of("network", "{\"mode\": \"user\", \"sshPortRange\": " + range + "}"))))
                    .as(range).extracting(ConfigProblem::field).containsExactly("network.sshPortRange");
        }
    }

    @Test
    void kernelOptionsWithoutAKernelAndBootWithNeitherAreRefused() {
        assertThat(ConfigChecks.problems(TestConfigs.read(TestConfigs.BASE_IMAGE, Map.of("initrd", "\"/boot/initrd\"",
                "kernelCommandLine", "\"quiet\"")))).extracting(ConfigProblem::field).containsExactlyInAnyOrder("initrd", "kernelCommandLine");
        assertThat(ConfigChecks.problems(TestConfigs.read(TestConfigs.KERNEL_USER_MODE, Map.of("kernel", "\"/k\"", "baseFormat", "\"raw\""))))
                .extracting(ConfigProblem::field).containsExactly("baseFormat");
        Map<String, String> neither = new HashMap<>();
        neither.put("baseVolume", null);
        assertThat(ConfigChecks.problems(TestConfigs.read(TestConfigs.BASE_IMAGE, neither))).singleElement()
                .satisfies(p -> assertThat(p.problem()).contains("or a kernel for a direct kernel boot"));
    }

    @Test
    void theHelpListsEveryFieldOfTheRecordOnceInItsOrder() {
        assertThat(LibvirtFields.ALL).extracting(ConfigField::name).containsExactlyElementsOf(
                Arrays.stream(LibvirtConfig.class.getRecordComponents()).map(c -> c.getName()).toList());
    }
}
