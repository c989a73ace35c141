package dev.drydock.blueprint.libvirt;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The rule for one entry of {@code hypervisors}: a libvirt URI of the QEMU driver
 * ({@code qemu[+transport]://[user@][host]/system} or {@code /session}) or of the test driver
 * ({@code test:///default}), never carrying a password. A URI that passes is one libvirt can be
 * asked to open; whether it answers is found out at run time.
 */
final class HypervisorUri {
    private static final Pattern SCHEME = Pattern.compile("(qemu|test)(\\+(ssh|libssh|libssh2|tcp|tls|unix|ext))?");
    private static final Set<String> QEMU_PATHS = Set.of("/system", "/session");

    private HypervisorUri() {}

    /** What is wrong with {@code value}, with an example of what to write; empty when it is fine. */
    static Optional<String> problem(String value) {
        if (value == null || value.isBlank()) {
            return Optional.of("must be a libvirt URI such as qemu:///system or qemu+ssh://user@host/system");
        }
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            return Optional.of("'" + value + "' is not a URI: " + e.getReason() + "; write e.g. qemu:///system");
        }
        if (uri.getScheme() == null || !SCHEME.matcher(uri.getScheme()).matches()) {
            return Optional.of("'" + value + "' is not a QEMU or test driver URI: write qemu:///system, qemu:///session,"
                    + " qemu+ssh://user@host/system or test:///default");
        }
        if (uri.getRawUserInfo() != null && uri.getRawUserInfo().contains(":")) {
            return Optional.of("must not carry a password; use an SSH key for qemu+ssh (the URI's keyfile parameter or ssh's own setup)");
        }
        String path = uri.getPath() == null ? "" : uri.getPath();
        if (uri.getScheme().startsWith("qemu") && !QEMU_PATHS.contains(path)) {
            return Optional.of("'" + value + "' must end in /system or /session, e.g. qemu:///system");
        }
        if (uri.getScheme().startsWith("test") && path.isEmpty()) {
            return Optional.of("'" + value + "' must name the test driver's configuration, e.g. test:///default");
        }
        if (uri.getScheme().contains("+") && !uri.getScheme().endsWith("+unix") && uri.getHost() == null) {
            return Optional.of("'" + value + "' uses a network transport but names no host, e.g. qemu+ssh://user@host/system");
        }
        return Optional.empty();
    }

    /**
     * Whether a VM on this hypervisor can be reached on the hypervisor's own 127.0.0.1 from this
     * process: the URI names no remote host. Only called on a URI {@link #problem} passed.
     */
    static boolean isLocal(String value) {
        URI uri = URI.create(value);
        return uri.getHost() == null || "localhost".equals(uri.getHost()) || "127.0.0.1".equals(uri.getHost());
    }
}
