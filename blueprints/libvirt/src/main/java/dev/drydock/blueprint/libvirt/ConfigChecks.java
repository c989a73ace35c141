package dev.drydock.blueprint.libvirt;

import dev.drydock.api.spi.AttributeNames;
import dev.drydock.api.spi.ConfigProblem;
import dev.drydock.api.spi.ConfigRange;
import dev.drydock.api.spi.SecretResolver;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Everything wrong with a {@link LibvirtConfig}, read from the configuration alone: every problem
 * at once, each naming its field, the rule, and the default or an example to write instead.
 */
final class ConfigChecks {
    /** What libvirt accepts as a pool or volume name, and what fits in a file name. */
    private static final Pattern OBJECT_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.+-]{0,199}");
    private static final Pattern LOGIN = Pattern.compile("[a-z_][a-z0-9_-]{0,31}");
    private static final Pattern PUBLIC_KEY = Pattern.compile("(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp(256|384|521)"
            + "|sk-ssh-ed25519@openssh\\.com|sk-ecdsa-sha2-nistp256@openssh\\.com) [A-Za-z0-9+/]+={0,3}( [\\x20-\\x7e]*)?");
    private static final Pattern PORT_RANGE = Pattern.compile("(\\d{1,5})-(\\d{1,5})");
    private static final Pattern CONTROL = Pattern.compile("[\\x00-\\x1f\\x7f]");

    private ConfigChecks() {}

    static List<ConfigProblem> problems(LibvirtConfig c) {
        List<ConfigProblem> problems = new ArrayList<>();
        hypervisors(problems, c.hypervisors());
        require(problems, "domainType", c.domainType() == null || c.domainType().equals(LibvirtConfig.KVM)
                || c.domainType().equals(LibvirtConfig.QEMU), "must be 'kvm' (the default) or 'qemu' (emulation), was '" + c.domainType() + "'");
        require(problems, "storagePool", c.storagePool() != null && OBJECT_NAME.matcher(c.storagePool()).matches(),
                "required: the name of a storage pool on every hypervisor, e.g. default");
        boot(problems, c);
        ConfigRange.check("memoryMiB", c.memoryMiB(), 64, 1 << 20, "MiB", LibvirtConfig.DEFAULT_MEMORY_MIB).ifPresent(problems::add);
        ConfigRange.check("vcpus", c.vcpus(), 1, 256, "virtual CPUs", 1).ifPresent(problems::add);
        network(problems, c);
        require(problems, "sshUser", LOGIN.matcher(c.sshUserOrDefault()).matches(), "must be a login name, was '" + c.sshUser() + "' (default root)");
        if (c.privateKey() == null) {
            problems.add(new ConfigProblem("privateKey", "required: a reference such as file:PATH or env:NAME to the SSH private key Drydock logs in with"));
        } else if (!SecretResolver.isReference(c.privateKey())) {
            problems.add(new ConfigProblem("privateKey", "must be a reference such as file:PATH or env:NAME; never put a secret in a configuration"));
        }
        List<String> keys = c.authorizedKeysOrNone();
        for (int i = 0; i < keys.size(); i++) {
            if (keys.get(i) == null || !PUBLIC_KEY.matcher(keys.get(i).strip()).matches()) {
                problems.add(new ConfigProblem("authorizedKeys[" + i + "]", "must be one public key line such as 'ssh-ed25519 AAAA... comment'"));
            }
        }
        ConfigRange.check("maxVms", c.maxVms(), 1, 10_000, "VMs per hypervisor", "default: no limit").ifPresent(problems::add);
        ConfigRange.check("reserveMemoryMiB", c.reserveMemoryMiB(), 0, 1 << 20, "MiB", LibvirtConfig.DEFAULT_RESERVE_MIB).ifPresent(problems::add);
        require(problems, "placement", c.placement() == null || c.placement().equals(LibvirtConfig.BINPACK) || c.placement().equals(LibvirtConfig.SPREAD),
                "must be 'binpack' (the default) or 'spread', was '" + c.placement() + "'");
        ConfigRange.check("capacity", c.capacity(), 1, 1000, "leases per VM", 1).ifPresent(problems::add);
        require(problems, "readinessCommand", c.readinessOrNone().stream().noneMatch(a -> a == null || a.isEmpty()),
                "must be an argv list of non-empty strings, or [] for none");
        ConfigRange.check("keepIdleMinutes", c.keepIdleMinutes(), 0, 7 * 24 * 60, "minutes", 0).ifPresent(problems::add);
        ConfigRange.check("healthCheckSeconds", c.healthCheckSeconds(), 1, 3600, "seconds", LibvirtConfig.DEFAULT_HEALTH_CHECK_SECONDS)
                .ifPresent(problems::add);
        ConfigRange.check("reapSeconds", c.reapSeconds(), 10, 86_400, "seconds", LibvirtConfig.DEFAULT_REAP_SECONDS).ifPresent(problems::add);
        ConfigRange.check("bootTimeoutSeconds", c.bootTimeoutSeconds(), 10, 3600, "seconds", LibvirtConfig.DEFAULT_BOOT_SECONDS).ifPresent(problems::add);
        problems.addAll(AttributeNames.problems(c.attributesOrNone()));
        return problems;
    }

    private static void hypervisors(List<ConfigProblem> problems, List<String> hypervisors) {
        if (hypervisors == null || hypervisors.isEmpty()) {
            problems.add(new ConfigProblem("hypervisors", "required: a list of libvirt URIs such as [\"qemu:///system\"]"));
            return;
        }
        for (int i = 0; i < hypervisors.size(); i++) {
            int at = i;
            HypervisorUri.problem(hypervisors.get(i)).ifPresent(p -> problems.add(new ConfigProblem("hypervisors[" + at + "]", p)));
        }
        if (new HashSet<>(hypervisors).size() != hypervisors.size()) {
            problems.add(new ConfigProblem("hypervisors", "lists a hypervisor twice"));
        }
    }

    private static void boot(List<ConfigProblem> problems, LibvirtConfig c) {
        if (!c.hasBaseImage() && !c.bootsKernel()) {
            problems.add(new ConfigProblem("baseVolume", "required: a base image volume in storagePool, or a kernel for a direct"
                    + " kernel boot (or both: the kernel boots with the image's overlay as its disk)"));
        }
        require(problems, "baseVolume", c.baseVolume() == null || OBJECT_NAME.matcher(c.baseVolume()).matches(),
                "must be a volume name in storagePool, e.g. debian-12-genericcloud-amd64.qcow2, was '" + c.baseVolume() + "'");
        require(problems, "baseFormat", c.baseFormat() == null || (c.hasBaseImage() && (c.baseFormat().equals(LibvirtConfig.QCOW2)
                || c.baseFormat().equals(LibvirtConfig.RAW))), c.hasBaseImage()
                ? "must be 'qcow2' (the default) or 'raw', was '" + c.baseFormat() + "'" : "is for a baseVolume only; remove it");
        absolutePath(problems, "kernel", c.kernel());
        absolutePath(problems, "initrd", c.initrd());
        if (!c.bootsKernel()) {
            require(problems, "initrd", c.initrd() == null, "is for a direct kernel boot only: set kernel too, or remove it");
            require(problems, "kernelCommandLine", c.kernelCommandLine() == null, "is for a direct kernel boot only: set kernel too, or remove it");
        }
        require(problems, "kernelCommandLine", c.kernelCommandLine() == null || (c.kernelCommandLine().length() <= 2048
                && !CONTROL.matcher(c.kernelCommandLine()).find()), "must be one line of at most 2048 characters");
    }

    private static void network(List<ConfigProblem> problems, LibvirtConfig c) {
        LibvirtConfig.Network n = c.network();
        if (n == null || n.mode() == null) {
            problems.add(new ConfigProblem("network", "required: {\"mode\": \"network\", \"name\": \"default\"} or"
                    + " {\"mode\": \"user\", \"sshPortRange\": \"2200-2299\"}"));
            return;
        }
        if (n.mode().equals(LibvirtConfig.Network.NETWORK)) {
            require(problems, "network.name", n.name() != null && OBJECT_NAME.matcher(n.name()).matches(),
                    "required with mode network: the libvirt network's name, e.g. default");
            require(problems, "network.sshPortRange", n.sshPortRange() == null, "is for mode user only; remove it");
            require(problems, "network.restrict", n.restrict() == null, "is for mode user only; remove it");
        } else if (n.isUserMode()) {
            require(problems, "network.name", n.name() == null, "is for mode network only; remove it");
            var m = n.sshPortRange() == null ? null : PORT_RANGE.matcher(n.sshPortRange().strip());
            if (m == null || !m.matches() || Integer.parseInt(m.group(1)) < 1024 || Integer.parseInt(m.group(2)) > 65535
                    || Integer.parseInt(m.group(1)) > Integer.parseInt(m.group(2))) {
                problems.add(new ConfigProblem("network.sshPortRange", "required with mode user: FIRST-LAST, ports 1024 to 65535,"
                        + " one per VM on a hypervisor, e.g. 2200-2299; was '" + n.sshPortRange() + "'"));
            }
            if (c.hypervisors() != null && c.hypervisors().stream().anyMatch(h -> HypervisorUri.problem(h).isEmpty() && !HypervisorUri.isLocal(h))) {
                problems.add(new ConfigProblem("network.mode", "user mode forwards SSH from the hypervisor's own 127.0.0.1, which"
                        + " Drydock reaches only on a local hypervisor: use a libvirt network for remote hypervisors"));
            }
        } else {
            problems.add(new ConfigProblem("network.mode", "must be 'network' (a libvirt network with DHCP) or 'user' (user-mode"
                    + " networking), was '" + n.mode() + "'"));
        }
    }

    private static void absolutePath(List<ConfigProblem> problems, String field, String value) {
        require(problems, field, value == null || (value.startsWith("/") && value.length() <= 4096 && !CONTROL.matcher(value).find()),
                "must be an absolute path on the hypervisor, readable by its QEMU user, was '" + value + "'");
    }

    private static void require(List<ConfigProblem> problems, String field, boolean ok, String problem) {
        if (!ok) {
            problems.add(new ConfigProblem(field, problem));
        }
    }
}
