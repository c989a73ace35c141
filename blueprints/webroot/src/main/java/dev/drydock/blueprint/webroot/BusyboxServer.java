package dev.drydock.blueprint.webroot;

import dev.drydock.api.DrydockException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * busybox httpd, one foreground process per site ({@code busybox httpd -f -c <stateDir>/httpd.conf}),
 * reloaded with SIGHUP. It has no directory listing: a directory without {@code index.html}
 * (including {@code /}) answers 404.
 *
 * <p>busybox httpd runs programs out of the tree it serves, three ways, and this class closes each:
 * <ul>
 * <li>{@code /cgi-bin/*}: the site's configuration puts basic authentication on {@code /cgi-bin}
 *     with a password hash no password matches, checked before the script would run (401);</li>
 * <li>{@code cgi-bin/index.cgi}, run for any directory URL without {@code index.html}, without an
 *     authentication check: the configuration maps {@code *.cgi} to an interpreter of ours in the
 *     state directory that ignores the script and answers 404 (so {@code x.cgi} anywhere answers 404
 *     instead of its text);</li>
 * <li>an {@code httpd.conf} in any served subdirectory, which busybox reads per request and whose
 *     interpreter lines ({@code *.sh:/bin/sh}) would run served files: no configuration can turn
 *     that off, so {@link #serve} and {@link #reload} refuse a tree holding a file of that name, or
 *     a {@code cgi-bin} at its top. Content changed while being served is checked again only on
 *     reload; prefer nginx for trees whose writers are not trusted.</li>
 * </ul>
 */
final class BusyboxServer implements HttpServer {
    private static final String CONF = "httpd.conf";
    private static final String NO_CGI = "no-cgi";
    // Finds what would make busybox run served files; prints the first one found.
    private static final String RISKY = "[ -e \"$1/cgi-bin\" ] || [ -L \"$1/cgi-bin\" ] && { echo \"$1/cgi-bin\"; exit 0; };"
            + " find \"$1\" -name httpd.conf -print 2>/dev/null | head -n 1";
    private static final String NO_CGI_SCRIPT = "#!/bin/sh\n"
            + "# Written by Drydock: busybox httpd runs this in place of a served CGI script, which it must never run.\n"
            + "printf 'Status: 404 Not Found\\r\\nContent-Type: text/plain\\r\\n\\r\\nnot found\\n'\n";

    private final SiteProcesses processes = new SiteProcesses(ServerKind.BUSYBOX, BusyboxServer::argv,
            BusyboxServer::owns, Optional.of("HUP"));

    @Override
    public ServerKind kind() {
        return ServerKind.BUSYBOX;
    }

    @Override
    public Map<String, String> serve(HostAccess host, Site site) {
        refuseRisky(host, site);
        String stateDir = SiteProcesses.createStateDir(host, site);
        host.files().write(stateDir + "/" + NO_CGI, new ByteArrayInputStream(NO_CGI_SCRIPT.getBytes(StandardCharsets.UTF_8)),
                PosixFilePermissions.fromString("rwx------"));
        host.files().write(stateDir + "/" + CONF, configuration(site).getBytes(StandardCharsets.UTF_8));
        return processes.serve(host, site, stateDir);
    }

    @Override
    public void reload(HostAccess host, Site site) {
        refuseRisky(host, site);
        processes.reload(host, site);
    }

    @Override
    public void stop(HostAccess host, Site site) {
        processes.stop(host, site);
    }

    @Override
    public boolean serving(HostAccess host, Site site) {
        return processes.serving(host, site);
    }

    @Override
    public int stopAll(HostAccess host, String resourceDir) {
        return processes.stopAll(host, resourceDir);
    }

    static String configuration(Site site) {
        return "# Written by Drydock for lease " + site.leaseId() + "; rewritten on every serve.\n"
                // No password hashes to "!", so /cgi-bin/* is never run (busybox checks this first).
                + "/cgi-bin:drydock-no-login:$1$drydock$!\n"
                // cgi-bin/index.cgi is run for directory URLs without an authentication check; ours runs instead.
                + "*.cgi:" + site.state(NO_CGI) + "\n";
    }

    private static void refuseRisky(HostAccess host, Site site) {
        String found = host.shell(RISKY, site.root()).stdoutText().strip();
        if (!found.isEmpty()) {
            throw new DrydockException("busybox httpd will not serve " + site.root() + ": it holds " + found
                    + ", which busybox httpd would treat as programs or configuration to run; remove it or serve with nginx");
        }
    }

    private static List<String> argv(Site site) {
        return List.of("busybox", "httpd", "-f", "-p", site.hostPort(), "-h", site.root(), "-c", site.state(CONF));
    }

    private static boolean owns(List<String> commandLine, String directory) {
        int c = commandLine.indexOf("-c");
        return commandLine.contains("httpd") && c >= 0 && c + 1 < commandLine.size()
                && commandLine.get(c + 1).startsWith(directory + "/");
    }
}
