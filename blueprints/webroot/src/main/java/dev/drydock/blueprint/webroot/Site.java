package dev.drydock.blueprint.webroot;

import dev.drydock.api.InvalidRequestException;
import java.net.URI;
import java.util.regex.Pattern;

/**
 * One lease's site: the directory to serve, the address and port to listen on, and a directory on
 * the host for the site's configuration, pid file and log.
 *
 * <p>Contract on the paths: both are absolute, real (no symbolic links, no {@code .} or {@code ..})
 * and made only of letters, digits and {@code . _ - + @ , : = ~ /}, because they are written into
 * server configuration files where anything else would need quoting rules that differ per server.
 * {@code stateDir} is {@code <resourceDir>/lease-<leaseId>} and lies inside the host lease's
 * directory: the resource directory holds every site of one resource (and nginx's one master, under
 * {@code <resourceDir>/nginx}), so {@link HttpServer#stopAll} finds all of them by that prefix.
 *
 * @param leaseId  the lease the site is served for; names the state directory
 * @param root     the absolute directory to serve
 * @param address  an IP literal to listen on (IPv4 dotted or IPv6 without brackets), never a host name
 * @param port     1 to 65535
 * @param stateDir {@code <resourceDir>/lease-<leaseId>}; created by {@link HttpServer#serve} with mode 0700
 */
record Site(long leaseId, String root, String address, int port, String stateDir) {
    private static final Pattern SAFE_PATH = Pattern.compile("(/[A-Za-z0-9._+@,:=~-]+)+");
    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    Site {
        if (leaseId <= 0) {
            throw new InvalidRequestException("leaseId", "must be positive, was " + leaseId);
        }
        requireSafePath("root", root);
        requireSafePath("stateDir", stateDir);
        if (!stateDir.endsWith("/lease-" + leaseId) || stateDir.length() == ("/lease-" + leaseId).length()) {
            throw new InvalidRequestException("stateDir", "must be <resourceDir>/lease-" + leaseId + ", was '" + stateDir + "'");
        }
        if (!isIpLiteral(address)) {
            throw new InvalidRequestException("address", "must be an IP literal such as 127.0.0.1 or ::1, was '" + address + "'");
        }
        if (port < 1 || port > 65535) {
            throw new InvalidRequestException("port", "must be 1 to 65535, was " + port);
        }
    }

    /** Whether {@code address} is what a site may listen on: an IPv4 or IPv6 literal (without brackets). */
    static boolean isIpLiteral(String address) {
        return address != null && (IPV4.matcher(address).matches() || IPV6.matcher(address).matches());
    }

    private static void requireSafePath(String field, String path) {
        if (path == null || !SAFE_PATH.matcher(path).matches() || path.contains("/./") || path.endsWith("/.")
                || path.contains("/../") || path.endsWith("/..")) {
            throw new InvalidRequestException(field, "must be an absolute path without '.' or '..' made of letters, digits and"
                    + " . _ - + @ , : = ~ /, was '" + path + "'");
        }
    }

    /** {@code http://address:port/}, an IPv6 literal in brackets. */
    URI uri() {
        return URI.create("http://" + hostPort() + "/");
    }

    /** {@code address:port} as a listen directive or URL writes it, an IPv6 literal in brackets. */
    String hostPort() {
        return (address.contains(":") ? "[" + address + "]" : address) + ":" + port;
    }

    /** The directory holding every site of the resource: the parent of {@link #stateDir}. */
    String resourceDir() {
        return stateDir.substring(0, stateDir.lastIndexOf('/'));
    }

    /** The site's file {@code name} in its state directory. */
    String state(String name) {
        return stateDir + "/" + name;
    }
}
