package dev.drydock.blueprint.libvirt;

import dev.drydock.api.spi.ConfigField;
import java.util.List;

/** The fields of a {@link LibvirtConfig}, for {@code blueprint create --type libvirt-host --help} and docs/libvirt.md. */
final class LibvirtFields {
    static final List<ConfigField> ALL = List.of(
            new ConfigField("hypervisors", "list of text", "required: libvirt URIs in preference order, e.g. qemu:///system,"
                    + " qemu+ssh://user@host/system, qemu:///session, test:///default"),
            new ConfigField("domainType", "text", "kvm (default) or qemu (emulation, where the host has no usable KVM)"),
            new ConfigField("storagePool", "text", "required: the storage pool, on every hypervisor, where each VM's disk and seed are made"),
            new ConfigField("baseVolume", "text", "the base image volume in storagePool; each VM boots its own qcow2 overlay of it"
                    + " (baseVolume, kernel, or both)"),
            new ConfigField("baseFormat", "text", "the base image's format, written into every overlay: qcow2 (default) or raw"),
            new ConfigField("kernel", "text", "for a direct kernel boot: the absolute path of the kernel on the hypervisor"),
            new ConfigField("initrd", "text", "with kernel: the absolute path of the initrd on the hypervisor (default none)"),
            new ConfigField("kernelCommandLine", "text", "with kernel: the kernel command line (default console=ttyS0)"),
            new ConfigField("memoryMiB", "whole number", "each VM's memory, 64 to 1048576 MiB (default 1024)"),
            new ConfigField("vcpus", "whole number", "each VM's virtual CPUs, 1 to 256 (default 1)"),
            new ConfigField("network", "object", "required: {\"mode\": \"network\", \"name\": \"default\"} for a libvirt network with"
                    + " DHCP, or {\"mode\": \"user\", \"sshPortRange\": \"2200-2299\"} for user-mode networking with SSH forwarded"
                    + " from 127.0.0.1 (local hypervisors only; \"restrict\": true cuts the guest off from everything else)"),
            new ConfigField("sshUser", "text", "the login user (default root)"),
            new ConfigField("privateKey", "text", "required: env:NAME or file:PATH of the SSH private key Drydock logs in with;"
                    + " its public key is put into every VM"),
            new ConfigField("authorizedKeys", "list of text", "more public keys every VM authorizes, as ssh-ed25519 AAAA... comment"),
            new ConfigField("maxVms", "whole number", "the most VMs of this blueprint on one hypervisor, 1 to 10000 (default: memory decides)"),
            new ConfigField("reserveMemoryMiB", "whole number", "memory every hypervisor keeps for itself, 0 to 1048576 MiB (default 512)"),
            new ConfigField("placement", "text", "binpack (default: the fullest hypervisor that fits) or spread (the emptiest)"),
            new ConfigField("capacity", "whole number", "leases per VM at once, 1 to 1000 (default 1)"),
            new ConfigField("readinessCommand", "list of text", "argv run over SSH before a VM is ready, e.g. [\"cloud-init\","
                    + " \"status\", \"--wait\"] (default none)"),
            new ConfigField("keepIdleMinutes", "whole number", "minutes an idle VM is kept for the next lease; 0 destroys it at once (default 0)"),
            new ConfigField("bootTimeoutSeconds", "whole number", "how long a VM may take from define to ready, 10 to 3600 (default 300)"),
            new ConfigField("attributes", "object of text", "facts every VM has, which a lease may require with --attr NAME=VALUE"),
            new ConfigField("reapSeconds", "whole number", "how often domains and volumes of this blueprint without a live resource are"
                    + " looked for, and destroyed on the second look, 10 to 86400 (default 300)"),
            new ConfigField("healthCheckSeconds", "whole number", "how often each ready VM's domain is checked to be still defined and"
                    + " running; one stopped or undefined outside Drydock breaks its resource and leases, 1 to 3600 (default 15)"));

    private LibvirtFields() {}
}
