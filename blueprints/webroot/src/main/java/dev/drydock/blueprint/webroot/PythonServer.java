package dev.drydock.blueprint.webroot;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code python3 -m http.server}, one process per site. Its command line carries
 * {@code -X pycache_prefix=<stateDir>/pycache}, harmless with {@code -B} (no bytecode is written),
 * so the process can be recognised as the site's before it is signalled. It reads the tree on every
 * request, so reload only checks that it runs. It lists directories, follows symbolic links out of
 * the root, and runs nothing it serves ({@code --cgi} is never given).
 */
final class PythonServer implements HttpServer {
    private static final String MARK = "pycache_prefix=";
    private final SiteProcesses processes = new SiteProcesses(ServerKind.PYTHON, PythonServer::argv, PythonServer::owns,
            Optional.empty());

    @Override
    public ServerKind kind() {
        return ServerKind.PYTHON;
    }

    @Override
    public Map<String, String> serve(HostAccess host, Site site) {
        return processes.serve(host, site, SiteProcesses.createStateDir(host, site));
    }

    @Override
    public void reload(HostAccess host, Site site) {
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

    private static List<String> argv(Site site) {
        return List.of("python3", "-B", "-X", MARK + site.state("pycache"), "-m", "http.server",
                "--bind", site.address(), "--directory", site.root(), Integer.toString(site.port()));
    }

    private static boolean owns(List<String> commandLine, String directory) {
        int x = commandLine.indexOf("-X");
        // A pyenv shim runs bash with these arguments before it execs python; it is the same process.
        return commandLine.contains("http.server") && x >= 0 && x + 1 < commandLine.size()
                && commandLine.get(x + 1).startsWith(MARK + directory + "/");
    }
}
