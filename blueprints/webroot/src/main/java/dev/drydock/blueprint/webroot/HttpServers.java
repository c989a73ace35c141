package dev.drydock.blueprint.webroot;

import dev.drydock.api.CommandResult;
import dev.drydock.api.DrydockException;
import dev.drydock.api.ProgramNotFoundException;
import dev.drydock.api.ProgramNotRunnableException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds the HTTP server to use on a host by running each candidate: nginx when installed, else
 * busybox httpd, else python3's http.server; or exactly the one asked for. When none fits, one
 * error names each server looked for and why it was passed over.
 */
final class HttpServers {
    // Outside root's PATH on many distributions, so looked for there too after the PATH.
    private static final List<String> NGINX_PROGRAMS = List.of("nginx", "/usr/sbin/nginx", "/usr/local/sbin/nginx",
            "/usr/local/nginx/sbin/nginx");

    private HttpServers() {}

    /**
     * The server each resource found, so its later steps do not probe the host again; a taskmaster
     * that never saw the resource probes for the kind it recorded.
     */
    static final class Cache {
        private final java.util.Map<Long, HttpServer> byResource = new java.util.concurrent.ConcurrentHashMap<>();

        HttpServer detect(long resourceId, HostAccess host, ServerPreference preference) {
            return byResource.computeIfAbsent(resourceId, id -> HttpServers.detect(host, preference));
        }

        void forget(long resourceId) {
            byResource.remove(resourceId);
        }
    }

    /** @throws DrydockException no server fits, listing what was looked for and why each was passed over */
    static HttpServer detect(HostAccess host, ServerPreference preference) {
        List<ServerKind> candidates = preference.kind().map(List::of).orElse(List.of(ServerKind.values()));
        List<String> declined = new ArrayList<>();
        for (ServerKind kind : candidates) {
            StringBuilder why = new StringBuilder();
            Optional<HttpServer> found = switch (kind) {
                case NGINX -> nginx(host, why);
                case BUSYBOX -> busybox(host, why);
                case PYTHON -> python(host, why);
            };
            if (found.isPresent()) {
                return found.get();
            }
            declined.add(kind.label() + ": " + why);
        }
        throw new DrydockException("no HTTP server to serve with on the host (asked for " + preference.text() + "): "
                + String.join("; ", declined) + "; install nginx (preferred), busybox or python3");
    }

    private static Optional<HttpServer> nginx(HostAccess host, StringBuilder why) {
        for (String program : NGINX_PROGRAMS) {
            Optional<CommandResult> version = probe(host, List.of(program, "-V"));
            if (version.isPresent() && version.get().succeeded()) {
                String built = version.get().stderrText() + version.get().stdoutText();
                List<String> temps = NginxConfig.TEMP_PATHS.stream()
                        .filter(t -> t.equals("client_body") || !built.contains("--without-http_" + t + "_module")).toList();
                return Optional.of(new NginxServer(program, temps));
            }
        }
        why.append("'nginx -V' ran nowhere (looked on the PATH and in ").append(String.join(", ", NGINX_PROGRAMS.subList(1, NGINX_PROGRAMS.size())))
                .append(")");
        return Optional.empty();
    }

    private static Optional<HttpServer> busybox(HostAccess host, StringBuilder why) {
        Optional<CommandResult> list = probe(host, List.of("busybox", "--list"));
        if (list.isEmpty()) {
            why.append("'busybox' is not on the PATH");
        } else if (!list.get().stdoutText().lines().anyMatch("httpd"::equals)) {
            why.append("this busybox was built without the httpd applet ('busybox --list' does not name it)");
        } else {
            return Optional.of(new BusyboxServer());
        }
        return Optional.empty();
    }

    private static Optional<HttpServer> python(HostAccess host, StringBuilder why) {
        // 3.8 brought -X pycache_prefix, which marks the site's process.
        Optional<CommandResult> version = probe(host, List.of("python3", "-c", "import sys, http.server; print(sys.version_info >= (3, 8))"));
        if (version.isEmpty()) {
            why.append("'python3' is not on the PATH");
        } else if (!version.get().stdoutText().strip().equals("True")) {
            why.append("python3 is older than 3.8 or lacks http.server: ").append(version.get().stderrText().strip());
        } else {
            return Optional.of(new PythonServer());
        }
        return Optional.empty();
    }

    private static Optional<CommandResult> probe(HostAccess host, List<String> argv) {
        try {
            return Optional.of(host.run(argv));
        } catch (ProgramNotFoundException | ProgramNotRunnableException e) {
            return Optional.empty();
        }
    }
}
