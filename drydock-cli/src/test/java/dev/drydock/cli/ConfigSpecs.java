package dev.drydock.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * For each blueprint type that checks its configuration: a valid configuration, the JSON kind of
 * each of its fields, which are required, values each field refuses and values it accepts. What
 * the configuration properties mutate, so each refusal is traceable to one field.
 */
final class ConfigSpecs {
    /** The JSON kind a field is declared as, which decides the values of the wrong kind. */
    enum Kind { TEXT, WHOLE, NUMBER, FLAG, LIST, MAP, OBJECT }

    /**
     * @param valid    accepted as it is
     * @param fields   every field and its kind
     * @param required fields whose absence is refused
     * @param bad      values a field refuses although of the right kind (range, format, context)
     * @param good     values a field accepts, for the valid configurations
     */
    record Spec(String type, Map<String, Object> valid, Map<String, Kind> fields, List<String> required,
                Map<String, List<Object>> bad, Map<String, List<Object>> good) {}

    private static final String HOST_KEY = "127.0.0.1 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl";
    private static final String PUBLIC_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl me";

    private ConfigSpecs() {}

    /** {@code keyReference}: a {@code file:} reference to a readable file, which ec2-host reads at create. */
    static List<Spec> all(String keyReference) {
        return List.of(localHost(), remoteHost(keyReference), ec2Host(keyReference), workingCopy(), webroot(), libvirtHost(keyReference));
    }

    private static Spec localHost() {
        return new Spec("local-host", map("root", "/tmp/drydock-properties/hosts"),
                map("root", Kind.TEXT, "capacity", Kind.WHOLE, "keepIdle", Kind.FLAG, "attributes", Kind.MAP,
                        "buildDelaySeconds", Kind.NUMBER, "healthCheckSeconds", Kind.WHOLE),
                List.of("root"),
                map("root", List.of("relative/dir", "/", "/tmp/../etc", "/tmp/a\nb", "", "/tmp/a\tb"),
                        "capacity", List.of(0, -1, 10_001),
                        "attributes", List.of(map("1bad", "v"), map("os", ""), map("a".repeat(64), "v")),
                        "buildDelaySeconds", List.of(-0.5, 600.5),
                        "healthCheckSeconds", List.of(0, 86_401)),
                map("capacity", List.of(1, 10_000), "keepIdle", List.of(true, false), "attributes", List.of(map("os", "linux")),
                        "buildDelaySeconds", List.of(0, 0.25), "healthCheckSeconds", List.of(1, 86_400)));
    }

    private static Spec remoteHost(String key) {
        Map<String, Object> host = map("name", "a", "address", "127.0.0.1", "user", "u", "hostKey", HOST_KEY);
        return new Spec("remote-host", map("privateKey", key, "hosts", List.of(host)),
                map("hosts", Kind.LIST, "privateKey", Kind.TEXT, "passphrase", Kind.TEXT, "capacity", Kind.WHOLE, "root", Kind.TEXT,
                        "healthCheckSeconds", Kind.WHOLE, "attributes", Kind.MAP),
                List.of("hosts"),
                map("hosts", List.of(List.of(), List.of(with(host, "port", 70_000)), List.of(with(host, "hostKey", "nonsense")),
                                List.of(with(host, "name", "bad name")), List.of(with(host, "colour", "red")), List.of(host, host)),
                        "privateKey", List.of("-----BEGIN OPENSSH PRIVATE KEY-----", "plain"),
                        "passphrase", List.of("hunter2"),
                        "capacity", List.of(0, 1001),
                        "root", List.of("relative", "/tmp/../etc", "/", "/tmp/a\nb", "/tmp/./a"),
                        "healthCheckSeconds", List.of(0, -5),
                        "attributes", List.of(map("1bad", "v"), map("os", ""))),
                map("capacity", List.of(1, 1000), "root", List.of("/var/tmp/drydock"), "healthCheckSeconds", List.of(1, 60),
                        "attributes", List.of(map("os", "linux")), "passphrase", List.of("env:DRYDOCK_PASSPHRASE")));
    }

    private static Spec ec2Host(String key) {
        return new Spec("ec2-host", map("region", "us-east-1", "imageId", "ami-0123456789abcdef0", "instanceTypes", List.of("t3.micro"),
                "subnets", List.of("subnet-0123456789abcdef0"), "keyName", "drydock", "privateKey", key),
                map("region", Kind.TEXT, "endpoint", Kind.TEXT, "accessKeyId", Kind.TEXT, "secretAccessKey", Kind.TEXT, "imageId", Kind.TEXT,
                        "instanceTypes", Kind.LIST, "subnets", Kind.LIST, "securityGroups", Kind.LIST, "keyName", Kind.TEXT,
                        "privateKey", Kind.TEXT, "sshUser", Kind.TEXT, "sshPort", Kind.WHOLE, "usePublicAddress", Kind.FLAG, "tags", Kind.MAP,
                        "userData", Kind.TEXT, "rootVolumeGb", Kind.WHOLE, "spot", Kind.FLAG, "onDemandFallback", Kind.FLAG,
                        "capacity", Kind.WHOLE, "keepIdleMinutes", Kind.WHOLE, "readinessCommand", Kind.LIST, "hostKeyTrust", Kind.TEXT,
                        "listSeconds", Kind.NUMBER, "callsPerSecond", Kind.NUMBER, "bootMinutes", Kind.WHOLE, "healthCheckSeconds", Kind.WHOLE,
                        "reapMinutes", Kind.NUMBER, "quotaPauseSeconds", Kind.WHOLE, "attributes", Kind.MAP, "root", Kind.TEXT),
                List.of("region", "imageId", "instanceTypes", "subnets", "keyName", "privateKey"),
                map("region", List.of("Mars", "us-east", ""), "endpoint", List.of("ftp://x", "not a uri"), "imageId", List.of("ami-xyz", "image"),
                        "instanceTypes", List.of(List.of(), List.of("T3")), "subnets", List.of(List.of(), List.of("sg-0123456789abcdef0")),
                        "securityGroups", List.of(List.of("subnet-0123456789abcdef0")), "keyName", List.of("", "k".repeat(256)),
                        "privateKey", List.of("inline key", "file:/nonexistent/drydock-key"), "sshUser", List.of("Root!", ""),
                        "sshPort", List.of(0, 65_536), "userData", List.of("x".repeat(12_001)), "rootVolumeGb", List.of(0, 16_385),
                        "capacity", List.of(0, 1001), "keepIdleMinutes", List.of(-1, 10_081), "readinessCommand", List.of(List.of("")),
                        "hostKeyTrust", List.of("always"), "listSeconds", List.of(0.01, 601), "callsPerSecond", List.of(0.01, 1001),
                        "bootMinutes", List.of(0, 1441), "healthCheckSeconds", List.of(0), "reapMinutes", List.of(0.001, 1441),
                        "quotaPauseSeconds", List.of(0, 3601), "attributes", List.of(map("1bad", "v"), map("os", "")),
                        "root", List.of("relative", "/tmp/../etc", "/", "/tmp/a\nb", "/tmp/./a", "")),
                map("endpoint", List.of("http://127.0.0.1:4566"), "securityGroups", List.of(List.of("sg-0123456789abcdef0")),
                        "sshUser", List.of("ubuntu"), "sshPort", List.of(22, 2222), "capacity", List.of(1, 1000), "spot", List.of(true, false),
                        "hostKeyTrust", List.of("console", "first-use"), "listSeconds", List.of(0.05, 600), "bootMinutes", List.of(1, 1440),
                        "attributes", List.of(map("os", "linux")), "readinessCommand", List.of(List.of(), List.of("true")),
                        "root", List.of("/var/tmp/drydock", "/home/ec2-user/work/")));
    }

    private static Spec workingCopy() {
        return new Spec("working-copy", map("repository", "file:///tmp/drydock-properties/repo.git"),
                map("repository", Kind.TEXT, "username", Kind.TEXT, "password", Kind.TEXT, "privateKey", Kind.TEXT, "knownHosts", Kind.TEXT,
                        "hostBlueprints", Kind.LIST, "hostAttributes", Kind.MAP, "cacheDirectory", Kind.TEXT, "capacity", Kind.WHOLE,
                        "keepIdleMinutes", Kind.WHOLE, "gitTimeoutMinutes", Kind.WHOLE),
                List.of("repository"),
                map("repository", List.of("", "relative/path", "file:///tmp/a b", "-u/evil", "file:///tmp/a\nb"),
                        "username", List.of("git"), "password", List.of("env:GIT_TOKEN"), "privateKey", List.of("env:GIT_KEY"),
                        "knownHosts", List.of("host ssh-ed25519 AAAA"), "hostBlueprints", List.of(List.of(""), List.of(" ")),
                        "hostAttributes", List.of(map("1bad", "v"), map("os", "")), "cacheDirectory", List.of("/abs", "../up"),
                        "capacity", List.of(0, 1001), "keepIdleMinutes", List.of(-1, 10_081), "gitTimeoutMinutes", List.of(0, 1441)),
                map("hostBlueprints", List.of(List.of("hosts")), "hostAttributes", List.of(map("os", "linux")),
                        "cacheDirectory", List.of("clones/site"), "capacity", List.of(1, 1000), "keepIdleMinutes", List.of(0, 10_080),
                        "gitTimeoutMinutes", List.of(1, 1440)));
    }

    private static Spec webroot() {
        return new Spec("webroot", map("ports", "8100-8199"),
                map("hostBlueprints", Kind.LIST, "hostAttributes", Kind.MAP, "workingCopyBlueprints", Kind.LIST, "ports", Kind.TEXT,
                        "address", Kind.TEXT, "server", Kind.TEXT, "capacity", Kind.WHOLE, "readySeconds", Kind.WHOLE,
                        "keepIdleMinutes", Kind.WHOLE),
                List.of(),
                map("ports", List.of("80-90", "9000-8000", "x", "8100-70000"), "address", List.of("localhost", "127.0.0.999"),
                        "server", List.of("apache", ""), "capacity", List.of(0, 1001), "readySeconds", List.of(0, 3601),
                        "keepIdleMinutes", List.of(-1, 10_081), "hostBlueprints", List.of(List.of("")),
                        "workingCopyBlueprints", List.of(List.of(" ")), "hostAttributes", List.of(map("1bad", "v"))),
                map("ports", List.of("1024-65535", "8000-8000"), "address", List.of("127.0.0.1", "::1"),
                        "server", List.of("auto", "nginx", "busybox", "python"), "capacity", List.of(1, 1000), "readySeconds", List.of(1, 3600),
                        "keepIdleMinutes", List.of(0, 10_080), "hostBlueprints", List.of(List.of("hosts"))));
    }

    private static Spec libvirtHost(String key) {
        return new Spec("libvirt-host", map("hypervisors", List.of("test:///default"), "storagePool", "default",
                "baseVolume", "base.qcow2", "network", map("mode", "network", "name", "default"), "privateKey", key),
                map("hypervisors", Kind.LIST, "domainType", Kind.TEXT, "storagePool", Kind.TEXT, "baseVolume", Kind.TEXT,
                        "baseFormat", Kind.TEXT, "kernel", Kind.TEXT, "initrd", Kind.TEXT, "kernelCommandLine", Kind.TEXT,
                        "memoryMiB", Kind.WHOLE, "vcpus", Kind.WHOLE, "network", Kind.OBJECT, "sshUser", Kind.TEXT, "privateKey", Kind.TEXT,
                        "authorizedKeys", Kind.LIST, "maxVms", Kind.WHOLE, "reserveMemoryMiB", Kind.WHOLE, "placement", Kind.TEXT,
                        "capacity", Kind.WHOLE, "readinessCommand", Kind.LIST, "keepIdleMinutes", Kind.WHOLE,
                        "bootTimeoutSeconds", Kind.WHOLE, "attributes", Kind.MAP, "reapSeconds", Kind.WHOLE, "healthCheckSeconds", Kind.WHOLE),
                List.of("hypervisors", "storagePool", "network", "privateKey", "baseVolume"),
                map("hypervisors", List.of(List.of(), List.of("http://x"), List.of("test:///default", "test:///default")),
                        "domainType", List.of("xen"), "storagePool", List.of("bad name/", ""), "baseVolume", List.of("../x", ""),
                        "baseFormat", List.of("vmdk"), "kernel", List.of("relative/vmlinuz"), "initrd", List.of("/boot/initrd"),
                        "kernelCommandLine", List.of("console=ttyS0"), "memoryMiB", List.of(63, (1 << 20) + 1), "vcpus", List.of(0, 257),
                        "network", List.of(map("mode", "bridge"), map("mode", "network"), map("mode", "user", "sshPortRange", "80-90")),
                        "sshUser", List.of("Root!"), "privateKey", List.of("inline key"), "authorizedKeys", List.of(List.of("nonsense")),
                        "maxVms", List.of(0, 10_001), "reserveMemoryMiB", List.of(-1), "placement", List.of("random"),
                        "capacity", List.of(0, 1001), "readinessCommand", List.of(List.of("")), "keepIdleMinutes", List.of(-1, 10_081),
                        "bootTimeoutSeconds", List.of(9, 3601), "reapSeconds", List.of(9, 86_401), "healthCheckSeconds", List.of(0, 3601),
                        "attributes", List.of(map("1bad", "v"))),
                map("domainType", List.of("kvm", "qemu"), "baseFormat", List.of("qcow2", "raw"), "memoryMiB", List.of(64, 4096),
                        "vcpus", List.of(1, 256), "sshUser", List.of("debian"), "authorizedKeys", List.of(List.of(PUBLIC_KEY)),
                        "maxVms", List.of(1, 10_000), "placement", List.of("binpack", "spread"), "capacity", List.of(1, 1000),
                        "keepIdleMinutes", List.of(0, 10_080), "bootTimeoutSeconds", List.of(10, 3600)));
    }

    /** A map in the order given: {@code map("a", 1, "b", 2)}. */
    @SuppressWarnings("unchecked")
    static <V> Map<String, V> map(Object... keysAndValues) {
        Map<String, V> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], (V) keysAndValues[i + 1]);
        }
        return m;
    }

    private static Map<String, Object> with(Map<String, Object> base, String key, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(base);
        copy.put(key, value);
        return copy;
    }
}
