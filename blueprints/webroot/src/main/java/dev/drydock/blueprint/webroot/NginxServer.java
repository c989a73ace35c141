package dev.drydock.blueprint.webroot;

import dev.drydock.api.CommandResult;
import dev.drydock.api.DrydockException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * nginx, one master per resource under {@code <resourceDir>/nginx/} serving each site from its own
 * file {@code sites/lease-<id>.conf}. Adding or removing a site rewrites that file and reloads the
 * master (nginx swaps workers without dropping the other sites); the last site's stop ends the
 * master. Every configuration change is checked with {@code nginx -t} first, whose complaint is
 * the error message, because {@code nginx -s reload} reports success even when the master then
 * rejects the new configuration and keeps the old one.
 */
final class NginxServer implements HttpServer {
    private final String program;
    private final List<String> tempPaths;
    /** Null until asked: the same host lease's user never changes, and each lease's serve would ask again. */
    private volatile Optional<String> user;

    /** @param program the nginx binary as found on the host; @param tempPaths the temp path directives its modules know */
    NginxServer(String program, List<String> tempPaths) {
        this.program = program;
        this.tempPaths = List.copyOf(tempPaths);
    }

    @Override
    public ServerKind kind() {
        return ServerKind.NGINX;
    }

    @Override
    public Map<String, String> serve(HostAccess host, Site site) {
        String stateDir = SiteProcesses.createStateDir(host, site);
        String prefix = NginxConfig.prefix(site.resourceDir());
        String relativePrefix = NginxConfig.prefix(stateDir.substring(0, stateDir.lastIndexOf('/')));
        String siteFile = relativePrefix + "/sites/" + NginxConfig.siteFileName(site);
        boolean known = host.files().exists(siteFile);
        Optional<Long> master = master(host, site.resourceDir());
        if (!(known && master.isPresent()) && ListeningPorts.accepting(host, site)) {
            throw new DrydockException("cannot serve " + site.uri() + " with nginx: another process already listens on port "
                    + site.port() + "; choose another port or stop it");
        }
        host.files().createDirectories(relativePrefix + "/temp");
        host.files().write(relativePrefix + "/nginx.conf",
                NginxConfig.main(prefix, user(host), tempPaths).getBytes(StandardCharsets.UTF_8));
        host.files().write(siteFile, NginxConfig.site(site).getBytes(StandardCharsets.UTF_8));
        try {
            check(host, prefix);
        } catch (DrydockException e) {
            // The file just written broke the configuration; without it the other sites still load.
            host.files().delete(siteFile);
            throw e;
        }
        if (master.isPresent()) {
            nginx(host, prefix, List.of("-s", "reload"), "reload");
        } else {
            startOrReload(host, site, prefix);
        }
        ListeningPorts.awaitAccepting(host, site, "nginx", prefix + "/error.log");
        String pid = master(host, site.resourceDir()).map(String::valueOf).orElse("unknown");
        return Map.of("server", ServerKind.NGINX.label(), "pid", pid, "config", prefix + "/sites/" + NginxConfig.siteFileName(site));
    }

    /**
     * Starts the resource's master; if that fails because another lease's step started one
     * meanwhile (leases of one resource are prepared concurrently), reloads that one instead.
     */
    private void startOrReload(HostAccess host, Site site, String prefix) {
        try {
            nginx(host, prefix, List.of(), "start");
        } catch (DrydockException e) {
            if (master(host, site.resourceDir()).isEmpty()) {
                throw e;
            }
            nginx(host, prefix, List.of("-s", "reload"), "reload");
        }
    }

    @Override
    public void reload(HostAccess host, Site site) {
        String prefix = NginxConfig.prefix(site.resourceDir());
        if (master(host, site.resourceDir()).isEmpty() || !siteConfigured(host, site)) {
            throw new ServerNotRunningException(ServerKind.NGINX, site);
        }
        check(host, prefix);
        nginx(host, prefix, List.of("-s", "reload"), "reload");
    }

    @Override
    public void stop(HostAccess host, Site site) {
        String prefix = NginxConfig.prefix(site.resourceDir());
        host.run(List.of("rm", "-f", prefix + "/sites/" + NginxConfig.siteFileName(site)));
        Optional<Long> master = master(host, site.resourceDir());
        if (master.isEmpty()) {
            return;
        }
        String left = host.shell("ls -A \"$1\"", prefix + "/sites").stdoutText().strip();
        if (left.isEmpty()) {
            HostProcesses.stop(host, master.get(), ownsMaster(site.resourceDir()));
        } else {
            nginx(host, prefix, List.of("-s", "reload"), "reload");
        }
        ListeningPorts.awaitRefusing(host, site, "nginx");
    }

    @Override
    public boolean serving(HostAccess host, Site site) {
        return master(host, site.resourceDir()).isPresent() && siteConfigured(host, site) && ListeningPorts.accepting(host, site);
    }

    @Override
    public int stopAll(HostAccess host, String resourceDir) {
        int stopped = 0;
        for (long pid : HostProcesses.find(host, NginxConfig.prefix(resourceDir) + "/", ownsMaster(resourceDir))) {
            // Workers exit with their master when it is stopped; they name no directory to be found by.
            stopped += HostProcesses.stop(host, pid, ownsMaster(resourceDir)) ? 1 : 0;
        }
        // Workers of a master killed outright (SIGKILL, OOM) live on; they work in the prefix the master started in.
        for (long pid : HostProcesses.findWorkingIn(host, NginxConfig.prefix(resourceDir), NginxServer::isWorker)) {
            stopped += HostProcesses.stop(host, pid, NginxServer::isWorker) ? 1 : 0;
        }
        return stopped;
    }

    private static boolean isWorker(List<String> commandLine) {
        return String.join(" ", commandLine).startsWith("nginx: worker process");
    }

    private boolean siteConfigured(HostAccess host, Site site) {
        return host.run(List.of("test", "-f", NginxConfig.prefix(site.resourceDir()) + "/sites/" + NginxConfig.siteFileName(site)))
                .succeeded();
    }

    /** The resource's running master: the pid file's if it is that master, else one found by its command line. */
    private Optional<Long> master(HostAccess host, String resourceDir) {
        String text = host.run(List.of("cat", NginxConfig.prefix(resourceDir) + "/nginx.pid")).stdoutText().strip();
        if (text.matches("[0-9]{1,10}") && HostProcesses.running(host, Long.parseLong(text), ownsMaster(resourceDir))) {
            return Optional.of(Long.parseLong(text));
        }
        return HostProcesses.find(host, NginxConfig.prefix(resourceDir) + "/", ownsMaster(resourceDir)).stream().findFirst();
    }

    // nginx rewrites its title to "nginx: master process <original command line>", often as one string.
    private static Predicate<List<String>> ownsMaster(String resourceDir) {
        String conf = "-c " + NginxConfig.prefix(resourceDir) + "/nginx.conf";
        return c -> {
            String joined = String.join(" ", c);
            return joined.startsWith("nginx: master process") && (joined.endsWith(conf) || joined.contains(conf + " "));
        };
    }

    private void check(HostAccess host, String prefix) {
        CommandResult test = host.run(argv(prefix, List.of("-t", "-q")));
        if (!test.succeeded()) {
            throw new DrydockException("nginx rejects the configuration under " + prefix + ": " + test.stderrText().strip());
        }
    }

    private void nginx(HostAccess host, String prefix, List<String> signal, String what) {
        // Run in the prefix, so the master and its workers work there: a worker whose master was killed is found by it.
        CommandResult result = host.runIn(host.relative("prefix", prefix), argv(prefix, signal));
        if (!result.succeeded()) {
            throw new DrydockException("nginx " + what + " under " + prefix + " failed (exit " + result.exitCode() + "): "
                    + result.stderrText().strip() + "; see " + prefix + "/error.log");
        }
    }

    private List<String> argv(String prefix, List<String> extra) {
        List<String> argv = new ArrayList<>(List.of(program, "-p", prefix + "/", "-c", prefix + "/nginx.conf"));
        argv.addAll(extra);
        return argv;
    }

    /** The {@code user} directive: the host lease's own user when nginx runs as root; asked once per server. */
    private Optional<String> user(HostAccess host) {
        Optional<String> known = user;
        if (known == null) {
            known = askUser(host);
            user = known;
        }
        return known;
    }

    private static Optional<String> askUser(HostAccess host) {
        if (!host.run(List.of("id", "-u")).stdoutText().strip().equals("0")) {
            return Optional.empty();
        }
        return Optional.of(host.run(List.of("id", "-un")).stdoutText().strip() + " " + host.run(List.of("id", "-gn")).stdoutText().strip());
    }
}
