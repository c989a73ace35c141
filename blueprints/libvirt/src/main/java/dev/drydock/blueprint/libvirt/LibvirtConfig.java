package dev.drydock.blueprint.libvirt;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Configuration of a {@code libvirt-host} blueprint, read from JSON. The only secret, the SSH
 * private key, appears as a reference ({@code env:NAME}, {@code file:PATH}, or a scheme the
 * application registered). Every getter ending in {@code OrDefault} (or naming a duration) applies
 * the documented default, so the rest of the blueprint never sees a {@code null}.
 *
 * @param hypervisors        libvirt URIs in preference order (required): {@code qemu:///system},
 *                           {@code qemu+ssh://user@host/system}, {@code qemu:///session}, {@code test:///default}
 * @param domainType         {@code kvm} (default) or {@code qemu} (emulation, for hosts without KVM)
 * @param storagePool        the storage pool on every hypervisor where the overlays and seeds are made (required)
 * @param baseVolume         the base image in that pool; each VM boots a qcow2 overlay of it
 * @param baseFormat         the base image's format, written into each overlay: {@code qcow2} (default) or {@code raw}
 * @param kernel             for a direct kernel boot: the kernel's path on the hypervisor
 * @param initrd             with {@code kernel}: the initrd's path on the hypervisor (default none)
 * @param kernelCommandLine  with {@code kernel}: the kernel command line (default {@code console=ttyS0})
 * @param memoryMiB          each VM's memory (default 1024)
 * @param vcpus              each VM's virtual CPUs (default 1)
 * @param network            how the VMs are reached (required): a libvirt network with DHCP or user-mode networking
 * @param sshUser            the login user (default {@code root})
 * @param privateKey         a reference to the SSH private key Drydock logs in with; its public key goes into
 *                           each VM's seed (required)
 * @param authorizedKeys     more public keys ({@code ssh-ed25519 AAAA… comment}) each VM authorizes (default none)
 * @param maxVms             the most VMs of this blueprint on one hypervisor (default: memory decides)
 * @param reserveMemoryMiB   memory every hypervisor keeps free for itself, never given to VMs (default 512)
 * @param placement          {@code binpack} (default: fill the fullest hypervisor that fits) or {@code spread}
 * @param capacity           leases one VM holds at once (default 1)
 * @param readinessCommand   run over SSH before a VM counts as ready (default none)
 * @param keepIdleMinutes    how long an idle VM is kept for the next lease; 0 destroys it at once (default 0)
 * @param bootTimeoutSeconds how long a VM may take from define to ready (default 300)
 * @param attributes         facts every VM of the blueprint has, which a lease may require (default none)
 * @param reapSeconds        how often the reaper looks for domains and volumes without a live resource (default 300)
 * @param healthCheckSeconds how often a ready VM's domain is checked to be defined and running (default 15)
 */
public record LibvirtConfig(List<String> hypervisors, String domainType, String storagePool, String baseVolume, String baseFormat,
                            String kernel, String initrd, String kernelCommandLine, Integer memoryMiB, Integer vcpus,
                            Network network, String sshUser, String privateKey, List<String> authorizedKeys, Integer maxVms,
                            Integer reserveMemoryMiB, String placement, Integer capacity, List<String> readinessCommand,
                            Integer keepIdleMinutes, Integer bootTimeoutSeconds, Map<String, String> attributes,
                            Integer reapSeconds, Integer healthCheckSeconds) {
    static final String KVM = "kvm";
    static final String QEMU = "qemu";
    static final String BINPACK = "binpack";
    static final String SPREAD = "spread";
    static final String QCOW2 = "qcow2";
    static final String RAW = "raw";
    static final int DEFAULT_MEMORY_MIB = 1024;
    static final int DEFAULT_RESERVE_MIB = 512;
    static final int DEFAULT_BOOT_SECONDS = 300;
    static final int DEFAULT_REAP_SECONDS = 300;
    static final int DEFAULT_HEALTH_CHECK_SECONDS = 15;
    static final String DEFAULT_COMMAND_LINE = "console=ttyS0";

    /**
     * How VMs are connected and reached.
     *
     * @param mode         {@code network}: a NIC on the libvirt network {@code name}, address from its DHCP lease;
     *                     {@code user}: QEMU user-mode networking, SSH forwarded from the hypervisor's 127.0.0.1
     * @param name         with {@code network}: the libvirt network's name
     * @param sshPortRange with {@code user}: {@code FIRST-LAST}, the ports on 127.0.0.1 the VMs' SSH is forwarded from
     * @param restrict     with {@code user}: the guest reaches nothing but its forwarded port (QEMU {@code restrict=on};
     *                     default false)
     */
    public record Network(String mode, String name, String sshPortRange, Boolean restrict) {
        static final String NETWORK = "network";
        static final String USER = "user";

        boolean isUserMode() {
            return USER.equals(mode);
        }

        boolean restricted() {
            return restrict != null && restrict;
        }

        /** The first and last port of {@link #sshPortRange}; only called on a checked configuration. */
        int[] ports() {
            String[] parts = sshPortRange.split("-", 2);
            return new int[] {Integer.parseInt(parts[0].strip()), Integer.parseInt(parts[1].strip())};
        }
    }

    boolean bootsKernel() {
        return kernel != null;
    }

    boolean hasBaseImage() {
        return baseVolume != null;
    }

    String domainTypeOrDefault() {
        return domainType == null ? KVM : domainType;
    }

    String baseFormatOrDefault() {
        return baseFormat == null ? QCOW2 : baseFormat;
    }

    String kernelCommandLineOrDefault() {
        return kernelCommandLine == null ? DEFAULT_COMMAND_LINE : kernelCommandLine;
    }

    int memoryMiBOrDefault() {
        return memoryMiB == null ? DEFAULT_MEMORY_MIB : memoryMiB;
    }

    int vcpusOrDefault() {
        return vcpus == null ? 1 : vcpus;
    }

    String sshUserOrDefault() {
        return sshUser == null ? "root" : sshUser;
    }

    List<String> authorizedKeysOrNone() {
        return authorizedKeys == null ? List.of() : authorizedKeys;
    }

    /** {@link Integer#MAX_VALUE} when no limit is set: memory alone decides. */
    int maxVmsOrUnlimited() {
        return maxVms == null ? Integer.MAX_VALUE : maxVms;
    }

    int reserveMemoryMiBOrDefault() {
        return reserveMemoryMiB == null ? DEFAULT_RESERVE_MIB : reserveMemoryMiB;
    }

    boolean spreads() {
        return SPREAD.equals(placement);
    }

    int capacityOrDefault() {
        return capacity == null ? 1 : capacity;
    }

    List<String> readinessOrNone() {
        return readinessCommand == null ? List.of() : readinessCommand;
    }

    Duration keepIdle() {
        return Duration.ofMinutes(keepIdleMinutes == null ? 0 : keepIdleMinutes);
    }

    Duration bootTimeout() {
        return Duration.ofSeconds(bootTimeoutSeconds == null ? DEFAULT_BOOT_SECONDS : bootTimeoutSeconds);
    }

    Duration reapInterval() {
        return Duration.ofSeconds(reapSeconds == null ? DEFAULT_REAP_SECONDS : reapSeconds);
    }

    Duration healthCheckInterval() {
        return Duration.ofSeconds(healthCheckSeconds == null ? DEFAULT_HEALTH_CHECK_SECONDS : healthCheckSeconds);
    }

    Map<String, String> attributesOrNone() {
        return attributes == null ? Map.of() : attributes;
    }
}
