package dev.drydock.examples;

import dev.drydock.blueprint.libvirt.LibvirtHostBlueprint;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * A {@code libvirt-host} blueprint in one process: the blueprint, an in-process taskmaster, a lease
 * on a VM it defines and boots under libvirt, a command and a file over SSH, and the release after
 * which the idle VM is destroyed and undefined and its volumes deleted. The blueprint is described
 * by environment variables (every field: docs/libvirt.md):
 *
 * <ul>
 *   <li>{@code DRYDOCK_LIBVIRT_URI} — the hypervisor (default {@code qemu:///system})</li>
 *   <li>{@code DRYDOCK_LIBVIRT_DOMAIN_TYPE} — {@code kvm} (default) or {@code qemu} (emulation, no KVM)</li>
 *   <li>{@code DRYDOCK_LIBVIRT_POOL} — the storage pool for the VM's overlay and seed (default {@code default})</li>
 *   <li>{@code DRYDOCK_LIBVIRT_BASE_VOLUME} — a cloud image in that pool, booted through a qcow2 overlay; or</li>
 *   <li>{@code DRYDOCK_LIBVIRT_KERNEL}, {@code DRYDOCK_LIBVIRT_INITRD}, {@code DRYDOCK_LIBVIRT_KERNEL_COMMAND_LINE} —
 *       a direct kernel boot (paths on the hypervisor)</li>
 *   <li>{@code DRYDOCK_LIBVIRT_NETWORK} — a libvirt network with DHCP (default {@code default}), or
 *       {@code user:FIRST-LAST}: user-mode networking, SSH forwarded from those ports of the hypervisor's 127.0.0.1</li>
 *   <li>{@code DRYDOCK_LIBVIRT_KEY_FILE} — the private key Drydock logs in with (default {@code ~/.ssh/id_ed25519});
 *       its public key goes into the VM's seed</li>
 *   <li>{@code DRYDOCK_LIBVIRT_MEMORY_MIB} — the VM's memory (default the blueprint's, 1024)</li>
 * </ul>
 *
 * Uses the PostgreSQL named by {@code DRYDOCK_DB_URL} if set, else a private one started for the run.
 */
public final class LibvirtHostMain {
    private static final String PREFIX = "DRYDOCK_LIBVIRT_";

    private LibvirtHostMain() {}

    public static void main(String[] args) {
        String config = config(System.getenv());
        ExampleDatabase.use(dataSource -> run(dataSource, config, System.out));
    }

    /** The blueprint's configuration, as JSON, from the {@code DRYDOCK_LIBVIRT_*} variables in {@code env}. */
    static String config(Map<String, String> env) {
        String base = env.get(PREFIX + "BASE_VOLUME");
        String kernel = env.get(PREFIX + "KERNEL");
        if (base == null && kernel == null) {
            throw new IllegalArgumentException(PREFIX + "BASE_VOLUME or " + PREFIX + "KERNEL must be set: what should the VM boot?");
        }
        String keyFile = env.getOrDefault(PREFIX + "KEY_FILE", Path.of(System.getProperty("user.home"), ".ssh", "id_ed25519").toString());
        List<String> fields = new ArrayList<>(List.of(
                field("hypervisors", "[" + Json.string(env.getOrDefault(PREFIX + "URI", "qemu:///system")) + "]"),
                field("domainType", Json.string(env.getOrDefault(PREFIX + "DOMAIN_TYPE", "kvm"))),
                field("storagePool", Json.string(env.getOrDefault(PREFIX + "POOL", "default"))),
                field("network", network(env.getOrDefault(PREFIX + "NETWORK", "default"))),
                field("privateKey", Json.string("file:" + keyFile)),
                field("keepIdleMinutes", "0")));
        optional(fields, "baseVolume", base);
        optional(fields, "kernel", kernel);
        optional(fields, "initrd", env.get(PREFIX + "INITRD"));
        optional(fields, "kernelCommandLine", env.get(PREFIX + "KERNEL_COMMAND_LINE"));
        if (env.containsKey(PREFIX + "MEMORY_MIB")) {
            fields.add(field("memoryMiB", Integer.toString(Integer.parseInt(env.get(PREFIX + "MEMORY_MIB")))));
        }
        return "{" + String.join(", ", fields) + "}";
    }

    /** {@code user:FIRST-LAST} is user-mode networking; anything else names a libvirt network. */
    private static String network(String value) {
        if (value.startsWith("user:")) {
            return "{\"mode\": \"user\", \"sshPortRange\": " + Json.string(value.substring("user:".length())) + ", \"restrict\": true}";
        }
        return "{\"mode\": \"network\", \"name\": " + Json.string(value) + "}";
    }

    private static String field(String name, String json) {
        return "\"" + name + "\": " + json;
    }

    private static void optional(List<String> fields, String name, String value) {
        if (value != null && !value.isBlank()) {
            fields.add(field(name, Json.string(value)));
        }
    }

    /** Leases a VM of a blueprint with {@code config}, uses it, releases it, and waits until the VM is destroyed. */
    public static void run(DataSource dataSource, String config, PrintStream out) {
        new HostTour(Duration.ofMinutes(6), Duration.ofMinutes(2), "hello from drydock on libvirt", facts -> "domain "
                + facts.get("domain") + " on " + facts.get("hypervisor") + " at " + facts.get("address") + " (" + facts.get("memory_mib")
                + " MiB, " + facts.get("vcpus") + " vCPU, host key " + facts.get("host-key-fingerprint") + ")")
                .run(dataSource, new LibvirtHostBlueprint(), config, out);
    }
}
