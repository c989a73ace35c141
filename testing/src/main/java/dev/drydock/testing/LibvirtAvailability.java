package dev.drydock.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Whether the real libvirt the tests need is here, asked once per JVM: the test guest is built, a
 * libvirtd answers at {@code qemu:///system}, and it runs in this JVM's network namespace, one made
 * with {@code ip netns add} (as {@code .ci/libvirt/start.sh} does), so guest networks exist only there.
 */
final class LibvirtAvailability {
    static final String HOW = "run .ci/run, or as root: .ci/libvirt/install.sh && .ci/libvirt/build-guest.sh"
            + " && .ci/libvirt/start.sh && ip netns exec drydock-ci mvn -B test; .ci/libvirt/stop.sh afterwards";

    private static final Path NAMED = Path.of("/run/netns");

    private LibvirtAvailability() {}

    /** Empty when the environment is usable, else what is missing and what to run. */
    static Optional<String> problem() {
        return Probed.PROBLEM;
    }

    // Probed on first use, once: the class initialiser is the lock.
    private static final class Probed {
        static final Optional<String> PROBLEM =
                probe(LibvirtEnvironment.guestDir()).map(missing -> missing + " (" + HOW + ")");
    }

    private static Optional<String> probe(Path guestDir) {
        if (!Files.isRegularFile(guestDir.resolve(".complete"))) {
            return Optional.of("no test guest in " + guestDir + " (set " + LibvirtEnvironment.GUEST_DIR_VARIABLE
                    + " to another)");
        }
        Optional<String> ours = networkNamespace("self");
        if (ours.isEmpty()) {
            return Optional.of("cannot read this JVM's network namespace in /proc/self/ns/net");
        }
        if (!namedNetworkNamespaces().contains(ours.get())) {
            return Optional.of("this JVM runs in no network namespace made with `ip netns add` (listed in " + NAMED
                    + "), so guest networks would exist in the machine's own");
        }
        Optional<Long> libvirtd = libvirtdPid();
        if (libvirtd.isEmpty()) {
            return Optional.of("no libvirtd runs");
        }
        if (!networkNamespace(Long.toString(libvirtd.get())).equals(ours)) {
            return Optional.of("libvirtd (pid " + libvirtd.get() + ") runs in another network namespace than this JVM");
        }
        Virsh.Result version = Virsh.run("version");
        if (!version.succeeded()) {
            return Optional.of("libvirtd does not answer at " + LibvirtEnvironment.URI + ": " + version.output());
        }
        return Optional.empty();
    }

    private static Optional<String> networkNamespace(String pid) {
        try {
            return Optional.of(Files.readSymbolicLink(Path.of("/proc", pid, "ns", "net")).toString());
        } catch (IOException | SecurityException e) {
            return Optional.empty();
        }
    }

    // ip netns add bind-mounts each namespace on /run/netns/NAME: the file's inode is the namespace's.
    private static List<String> namedNetworkNamespaces() {
        try (Stream<Path> names = Files.list(NAMED)) {
            List<String> namespaces = new ArrayList<>();
            for (Path name : names.toList()) {
                namespaces.add("net:[" + Files.getAttribute(name, "unix:ino") + "]");
            }
            return namespaces;
        } catch (IOException | UnsupportedOperationException e) {
            return List.of(); // no named namespaces
        }
    }

    private static Optional<Long> libvirtdPid() {
        try (Stream<ProcessHandle> processes = ProcessHandle.allProcesses()) {
            return processes.filter(process -> isLibvirtd(process.pid())).map(ProcessHandle::pid).findFirst();
        }
    }

    private static boolean isLibvirtd(long pid) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(pid), "comm")).strip().equals("libvirtd");
        } catch (IOException e) {
            return false; // gone meanwhile
        }
    }
}
