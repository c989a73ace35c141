package dev.drydock.blueprint.webroot;

import java.util.Map;

/**
 * The address a web root's servers listen on when the configuration names none: the host's own,
 * as its blueprint recorded it ({@code address}, perhaps with the SSH port after it), else the
 * loopback address, which is right for the local host.
 */
final class HostAddress {
    static final String LOOPBACK = "127.0.0.1";

    private HostAddress() {}

    static String of(Map<String, String> hostAttributes) {
        String recorded = hostAttributes.get("address");
        if (recorded == null || recorded.isBlank()) {
            return LOOPBACK;
        }
        if (recorded.startsWith("[")) { // [IPv6]:port
            int end = recorded.indexOf(']');
            return end > 1 ? recorded.substring(1, end) : LOOPBACK;
        }
        int colon = recorded.indexOf(':');
        boolean hostAndPort = colon > 0 && colon == recorded.lastIndexOf(':');
        return hostAndPort ? recorded.substring(0, colon) : recorded;
    }
}
