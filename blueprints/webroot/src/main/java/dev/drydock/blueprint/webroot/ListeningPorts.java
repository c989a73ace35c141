package dev.drydock.blueprint.webroot;

import dev.drydock.api.DrydockException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * Whether a site's address and port accept connections on the host, read from the host's
 * {@code /proc/net/tcp} and {@code /proc/net/tcp6} (a listening socket on the address, or on the
 * wildcard address, means connections are accepted). Asked on the host rather than from this JVM,
 * which may not reach the host's loopback, and with {@code cat} alone, which every Linux host has.
 */
final class ListeningPorts {
    /** How long a server may take to open its port, or to close it after being told to stop. */
    static final Duration PORT_WAIT = Duration.ofSeconds(10);
    private static final String LISTEN = "0A";

    private ListeningPorts() {}

    /** Whether something listens on the site's address and port now. */
    static boolean accepting(HostAccess host, Site site) {
        // cat fails on a host without IPv6 but still prints tcp; what it printed is what counts.
        String table = host.run(List.of("cat", "/proc/net/tcp", "/proc/net/tcp6")).stdoutText();
        byte[] wanted = bytes(site.address());
        for (String line : table.split("\n")) {
            String[] fields = line.strip().split("\\s+");
            if (fields.length < 4 || !fields[3].equals(LISTEN) || !fields[1].contains(":")) {
                continue;
            }
            String[] local = fields[1].split(":");
            if (Integer.parseInt(local[1], 16) == site.port() && matches(HexFormat.of().parseHex(local[0]), wanted)) {
                return true;
            }
        }
        return false;
    }

    /** Waits until the port accepts connections; throws naming {@code what} and the log's last lines if it does not. */
    static void awaitAccepting(HostAccess host, Site site, String what, String log) {
        if (!Poll.until(PORT_WAIT, () -> accepting(host, site))) {
            throw new DrydockException(what + " did not start listening on " + site.uri() + " within " + PORT_WAIT
                    + "; its log " + log + " ends: " + HostProcesses.tail(host, log));
        }
    }

    /** Waits until the port refuses connections; throws naming {@code what} if it still accepts them. */
    static void awaitRefusing(HostAccess host, Site site, String what) {
        if (!Poll.until(PORT_WAIT, () -> !accepting(host, site))) {
            throw new DrydockException(what + " was told to stop serving " + site.uri() + " but the port still accepts"
                    + " connections after " + PORT_WAIT + "; another process may listen on it, look with 'ss -ltnp'");
        }
    }

    // The kernel prints each 32-bit word of the address in the host's byte order: reversed on
    // little-endian machines. Both orders are accepted so a big-endian host works too.
    private static boolean matches(byte[] printed, byte[] wanted) {
        if (isWildcard(printed)) {
            return true;
        }
        if (printed.length != wanted.length) {
            return false;
        }
        byte[] swapped = printed.clone();
        for (int word = 0; word < swapped.length; word += 4) {
            for (int i = 0; i < 4; i++) {
                swapped[word + i] = printed[word + 3 - i];
            }
        }
        return Arrays.equals(printed, wanted) || Arrays.equals(swapped, wanted);
    }

    private static boolean isWildcard(byte[] address) {
        for (byte b : address) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    private static byte[] bytes(String literal) {
        try {
            // Site accepts only IP literals, so this never looks a name up.
            return InetAddress.getByName(literal).getAddress();
        } catch (UnknownHostException e) {
            throw new DrydockException("'" + literal + "' is not an IP address", e);
        }
    }
}
