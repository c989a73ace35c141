package dev.drydock.blueprint.webroot;

import java.util.List;
import java.util.Optional;

/**
 * The text of nginx's configuration for one resource: one main file under
 * {@code <resourceDir>/nginx/} and one file per site in its {@code sites/} directory. Paths are
 * quoted; {@link Site} admits none that needs escaping.
 */
final class NginxConfig {
    /** The temp path directives, each used unless nginx was built without its module. */
    static final List<String> TEMP_PATHS = List.of("client_body", "proxy", "fastcgi", "uwsgi", "scgi");

    private NginxConfig() {}

    static String prefix(String resourceDir) {
        return resourceDir + "/nginx";
    }

    static String main(String prefix, Optional<String> user, List<String> tempPaths) {
        StringBuilder text = new StringBuilder()
                .append("# Written by Drydock; one master serves every site of this resource.\n")
                .append("daemon on;\nmaster_process on;\nworker_processes 1;\n")
                .append("pid \"").append(prefix).append("/nginx.pid\";\n")
                .append("error_log \"").append(prefix).append("/error.log\" warn;\n");
        // Only root may switch users; it must, or workers run as nobody and cannot read 0700 checkouts.
        user.ifPresent(u -> text.append("user ").append(u).append(";\n"));
        text.append("events { worker_connections 256; }\n")
                .append("http {\n    access_log off;\n    autoindex on;\n    default_type application/octet-stream;\n")
                .append("    types { text/html html htm; text/css css; text/plain txt md; application/javascript js mjs;"
                        + " application/json json; image/png png; image/jpeg jpg jpeg; image/gif gif; image/svg+xml svg;"
                        + " font/woff2 woff2; application/wasm wasm; }\n");
        // Inside the prefix, so a non-root nginx never needs the distribution's /var/lib/nginx.
        for (String temp : tempPaths) {
            text.append("    ").append(temp).append("_temp_path \"").append(prefix).append("/temp/").append(temp).append("\";\n");
        }
        return text.append("    include \"").append(prefix).append("/sites/*.conf\";\n}\n").toString();
    }

    static String siteFileName(Site site) {
        return "lease-" + site.leaseId() + ".conf";
    }

    static String site(Site site) {
        return "# Written by Drydock for lease " + site.leaseId() + ".\n"
                + "server {\n    listen " + site.hostPort() + ";\n    root \"" + site.root() + "\";\n    autoindex on;\n"
                // No symbolic link below the root is followed, so none leads out of it.
                + "    disable_symlinks on from=$document_root;\n}\n";
    }
}
