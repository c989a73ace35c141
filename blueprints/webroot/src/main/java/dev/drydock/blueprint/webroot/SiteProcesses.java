package dev.drydock.blueprint.webroot;

import dev.drydock.api.DrydockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiPredicate;

/**
 * The life of a server that runs as one process per site (busybox httpd, python3 http.server):
 * started in the background, its pid kept in the site's state directory, and found again by its
 * command line, which names the state directory, when the pid file is missing because a try died
 * before writing it.
 *
 * @param kind   the server, for messages
 * @param argv   the site's command line
 * @param owns   whether a command line is one this kind started with state under the given
 *               directory (a site's state directory or a resource directory)
 * @param reload the signal that makes the process take up changes; empty when it needs none
 */
record SiteProcesses(ServerKind kind, java.util.function.Function<Site, List<String>> argv,
                     BiPredicate<List<String>, String> owns, Optional<String> reload) {
    static final String PID_FILE = "server.pid";
    static final String LOG_FILE = "server.log";

    /** Creates the site's state directory, only its owner may enter it, and returns it relative to the host lease's directory. */
    static String createStateDir(HostAccess host, Site site) {
        String relative = host.relative("stateDir", site.stateDir());
        host.files().createDirectories(relative);
        host.files().setPermissions(relative, PosixFilePermissions.fromString("rwx------"));
        return relative;
    }

    Map<String, String> serve(HostAccess host, Site site, String relativeStateDir) {
        Optional<Long> running = current(host, site);
        long pid;
        if (running.isPresent()) {
            pid = running.get();
        } else {
            if (ListeningPorts.accepting(host, site)) {
                throw new DrydockException("cannot serve " + site.uri() + " with " + kind.label()
                        + ": another process already listens on port " + site.port() + "; choose another port or stop it");
            }
            pid = HostProcesses.start(host, site.state(LOG_FILE), argv.apply(site));
        }
        host.files().write(relativeStateDir + "/" + PID_FILE, (pid + "\n").getBytes(StandardCharsets.UTF_8));
        long started = pid;
        boolean up = Poll.until(ListeningPorts.PORT_WAIT,
                () -> ListeningPorts.accepting(host, site) || !HostProcesses.running(host, started, ownsSite(site)));
        if (!up || !HostProcesses.running(host, pid, ownsSite(site))) {
            HostProcesses.stop(host, pid, ownsSite(site));
            throw new DrydockException(kind.label() + " did not start serving " + site.uri() + " within " + ListeningPorts.PORT_WAIT
                    + "; its log " + site.state(LOG_FILE) + " ends: " + HostProcesses.tail(host, site.state(LOG_FILE)));
        }
        return Map.of("server", kind.label(), "pid", Long.toString(pid), "log", site.state(LOG_FILE));
    }

    void reload(HostAccess host, Site site) {
        long pid = current(host, site).orElseThrow(() -> new ServerNotRunningException(kind, site));
        if (reload.isPresent() && !HostProcesses.signal(host, pid, reload.get(), ownsSite(site))) {
            throw new ServerNotRunningException(kind, site);
        }
    }

    void stop(HostAccess host, Site site) {
        boolean stopped = false;
        for (long pid : all(host, site)) {
            stopped |= HostProcesses.stop(host, pid, ownsSite(site));
        }
        host.run(List.of("rm", "-f", site.state(PID_FILE)));
        if (stopped) {
            ListeningPorts.awaitRefusing(host, site, kind.label());
        }
    }

    boolean serving(HostAccess host, Site site) {
        return current(host, site).isPresent() && ListeningPorts.accepting(host, site);
    }

    int stopAll(HostAccess host, String resourceDir) {
        int stopped = 0;
        for (long pid : HostProcesses.find(host, resourceDir + "/", c -> owns.test(c, resourceDir))) {
            stopped += HostProcesses.stop(host, pid, c -> owns.test(c, resourceDir)) ? 1 : 0;
        }
        return stopped;
    }

    private java.util.function.Predicate<List<String>> ownsSite(Site site) {
        return c -> owns.test(c, site.stateDir());
    }

    /** The site's process: the one in the pid file if it still runs as the site's, else one found by its command line. */
    private Optional<Long> current(HostAccess host, Site site) {
        Optional<Long> recorded = recordedPid(host, site).filter(pid -> HostProcesses.running(host, pid, ownsSite(site)));
        return recorded.isPresent() ? recorded : HostProcesses.find(host, site.stateDir() + "/", ownsSite(site)).stream().findFirst();
    }

    private List<Long> all(HostAccess host, Site site) {
        return HostProcesses.find(host, site.stateDir() + "/", ownsSite(site));
    }

    private static Optional<Long> recordedPid(HostAccess host, Site site) {
        String text = host.run(List.of("cat", site.state(PID_FILE))).stdoutText().strip();
        return text.matches("[0-9]{1,10}") ? Optional.of(Long.parseLong(text)) : Optional.empty();
    }
}
