package dev.drydock.cli;

/**
 * {@code --http HOST:PORT} as given: a host name or address ({@code [::1]} for IPv6) and a port
 * from 0 (any free one) to 65535. Anything else is bad input naming the option.
 */
record HttpAddress(String host, int port) {
    static HttpAddress parse(String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new BadInput("--http must be HOST:PORT, e.g. 127.0.0.1:8080, was '" + text + "'");
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new BadInput("--http must be HOST:PORT with a numeric port, e.g. 127.0.0.1:8080, was '" + text + "'");
        }
        if (port < 0 || port > 65_535 || host.isBlank()) {
            throw new BadInput("--http must be HOST:PORT with a port from 0 to 65535, was '" + text + "'");
        }
        return new HttpAddress(host, port);
    }
}
