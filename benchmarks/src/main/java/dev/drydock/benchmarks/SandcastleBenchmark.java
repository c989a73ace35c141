package dev.drydock.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import dev.drydock.api.LeaseInfo;
import dev.drydock.api.LeaseStatus;
import dev.drydock.api.ResourceInfo;
import dev.drydock.api.ResourceStatus;
import dev.drydock.blueprint.localhost.LocalHostBlueprint;
import dev.drydock.blueprint.webroot.WebrootBlueprint;
import dev.drydock.blueprint.workingcopy.WorkingCopyBlueprint;
import dev.drydock.core.Drydock;
import dev.drydock.taskqueue.Taskmaster;
import dev.drydock.testing.Await;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.ToLongFunction;

/**
 * {@code drydock-bench sandcastle}: a web root of a commit, from the lease request to its URI
 * answering 200, on the local host with nginx, in one JVM with an in-process taskmaster (16
 * threads), for a generated {@link SandcastleRepository}. The local-host blueprint (capacity 8,
 * limit 1) roots its directories in a new directory under {@code --root} (see {@link ScratchRoot});
 * one working-copy blueprint of the repository (limit 1, kept clone) and one webroot blueprint
 * (limit 1, capacity 16, 16 ports) serve the leases. Phases, after a first lease that builds the
 * host, the clone and the web root:
 *
 * <ol>
 *   <li>warm clone, new ref: {@value #WARM} times, a new commit is tagged in the repository and a
 *       lease of that tag is timed, then released and cleaned up;</li>
 *   <li>cold clone: {@value #COLD} times, a fresh copy of the repository at a new URL, with a
 *       working-copy blueprint of its own that keeps no idle clone, so the lease clones it;</li>
 *   <li>{@value #AT_ONCE} leases of {@value #AT_ONCE} tags never served before, asked for together;</li>
 *   <li>{@value #AGAIN} times, a lease of a new tag and then a second lease of the same tag while
 *       the first is held;</li>
 *   <li>the yardstick: {@code git worktree add --detach} of the same commits from a bare clone of
 *       the repository in the same directory tree, and fetch + worktree add as the working copy does.</li>
 * </ol>
 */
final class SandcastleBenchmark {
    static final int WARM = 20;
    static final int COLD = 6;
    static final int AT_ONCE = 8;
    static final int AGAIN = 5;
    private static final int PORTS = 16;
    private static final Set<LeaseStatus> HELD = EnumSet.of(LeaseStatus.PENDING, LeaseStatus.ACQUIRED, LeaseStatus.ACTIVE);
    private final BenchOptions options;

    SandcastleBenchmark(BenchOptions options) {
        this.options = options;
    }

    void run() throws Exception {
        Path work = ScratchRoot.create(options.root(), "drydock-bench-sandcastle-");
        try (BenchDatabase db = BenchDatabase.open(options); HikariDataSource pool = db.pool("bench-sandcastle", 40)) {
            SandcastleRepository repo = SandcastleRepository.generate(Files.createDirectory(work.resolve("site")));
            Path yardClone = work.resolve("yardstick.git");
            repo.bareCloneTo(yardClone); // before the phases' commits, which are new to it as to the leases' clone
            Files.createDirectory(work.resolve("hosts"));
            try (Drydock drydock = Drydock.builder(pool).register(new LocalHostBlueprint()).register(new WorkingCopyBlueprint())
                    .register(new WebrootBlueprint()).build();
                 Taskmaster taskmaster = drydock.taskmaster().threads(16).build().start()) {
                System.out.println("machine: " + Runtime.getRuntime().availableProcessors() + " cores, Java " + Runtime.version()
                        + "; " + db.describe());
                System.out.println("directories under " + work + " (" + Files.getFileStore(work).type() + "); repository: "
                        + SandcastleRepository.FILES + " files, " + SandcastleRepository.COMMITS + " commits, "
                        + repo.bytes() / 1024 + " KiB with its .git");
                System.out.println("TCP sockets on the machine (lines of /proc/net/tcp and tcp6, which a port check reads): " + tcpSockets());
                try {
                    measure(drydock, repo, work, yardClone);
                } catch (Exception | Error e) {
                    try {
                        cleanUp(drydock);
                    } catch (RuntimeException cleanUpFailure) {
                        e.addSuppressed(cleanUpFailure); // the measurement's failure is the one to see
                    }
                    throw e;
                }
                cleanUp(drydock);
            }
        } finally {
            ScratchRoot.delete(work);
        }
    }

    private void measure(Drydock drydock, SandcastleRepository repo, Path work, Path yardClone) throws Exception {
        drydock.blueprints().create("sandcastle-host", LocalHostBlueprint.TYPE,
                "{\"root\": \"" + work.resolve("hosts") + "\", \"capacity\": 8}", 1);
        drydock.blueprints().create("sandcastle-site", WorkingCopyBlueprint.TYPE,
                "{\"repository\": \"" + repo.url() + "\", \"capacity\": 16, \"keepIdleMinutes\": 60}", 1);
        drydock.blueprints().create("sandcastle-web", WebrootBlueprint.TYPE,
                "{\"ports\": \"" + freePorts() + "\", \"server\": \"nginx\", \"capacity\": 16, \"keepIdleMinutes\": 60}", 1);
        SandcastleSite site = new SandcastleSite(drydock);

        String last = "v" + SandcastleRepository.COMMITS;
        SandcastleSite.Timed first = site.lease(repo.url(), last, repo.index(last));
        SandcastleSite.end(first);
        System.out.printf(Locale.ROOT, "first lease (builds the host lease, the clone and the web root): ACTIVE %.0f ms, 200 %.0f ms%n",
                first.activeMs(), first.okMs());

        List<SandcastleSite.Timed> warm = new ArrayList<>();
        for (int i = 1; i <= WARM; i++) {
            String tag = "build-" + i;
            repo.commit(tag);
            SandcastleSite.Timed t = site.lease(repo.url(), tag, repo.index(tag));
            SandcastleSite.end(t);
            warm.add(t);
        }
        List<SandcastleSite.Timed> cold = new ArrayList<>();
        for (int i = 1; i <= COLD; i++) {
            Path copy = work.resolve("cold-" + i + ".git");
            repo.bareCloneTo(copy);
            String url = SandcastleRepository.url(copy);
            drydock.blueprints().create("sandcastle-cold-" + i, WorkingCopyBlueprint.TYPE,
                    "{\"repository\": \"" + url + "\", \"capacity\": 4, \"keepIdleMinutes\": 0}", 1);
            SandcastleSite.Timed t = site.lease(url, last, repo.index(last));
            SandcastleSite.end(t);
            cold.add(t);
            awaitDestroyed(drydock, "sandcastle-cold-" + i);
        }
        AtOnce atOnce = atOnce(site, repo);
        List<SandcastleSite.Timed> firsts = new ArrayList<>();
        List<SandcastleSite.Timed> seconds = new ArrayList<>();
        for (int i = 1; i <= AGAIN; i++) {
            String tag = "again-" + i;
            repo.commit(tag);
            SandcastleSite.Timed one = site.lease(repo.url(), tag, repo.index(tag));
            SandcastleSite.Timed two = site.lease(repo.url(), tag, repo.index(tag));
            SandcastleSite.end(two);
            SandcastleSite.end(one);
            firsts.add(one);
            seconds.add(two);
        }
        WorktreeYardstick.Result yard = WorktreeYardstick.measure(yardClone, repo.url(), WARM);
        repo.commit("layer");
        SandcastleSite.Timed held = site.lease(repo.url(), "layer", repo.index("layer"));
        ServerLayer layer;
        try {
            layer = ServerLayer.measure(held.lease());
        } finally {
            SandcastleSite.end(held);
        }

        SandcastleSite.Timed typical = warm.stream().sorted(java.util.Comparator.comparingLong(SandcastleSite.Timed::okMicros))
                .toList().get(warm.size() / 2);
        System.out.println();
        System.out.println("history of the median warm lease (" + typical.lease().id() + "), ms after the request at " + typical.requested() + ":");
        site.history(typical).forEach(line -> System.out.println("  " + line));
        SandcastleSite.Timed slowest = atOnce.leases().stream().max(java.util.Comparator.comparingLong(SandcastleSite.Timed::okMicros)).orElseThrow();
        System.out.println("history of the slowest of the " + AT_ONCE + " at once (" + slowest.lease().id() + "), ms after its request at " + slowest.requested() + ":");
        site.history(slowest).forEach(line -> System.out.println("  " + line));
        System.out.println();
        System.out.println(layer);
        System.out.println();
        report(warm, cold, atOnce, firsts, seconds, yard);
    }

    private record AtOnce(List<SandcastleSite.Timed> leases, long allMicros) {}

    /** {@value #AT_ONCE} leases of different tags, each asked for by its own thread as one latch opens; all held until every one answered. */
    private static AtOnce atOnce(SandcastleSite site, SandcastleRepository repo) throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(AT_ONCE);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<SandcastleSite.Timed>> futures = new ArrayList<>();
            for (int i = 1; i <= AT_ONCE; i++) {
                String tag = "v" + i;
                futures.add(clients.submit(() -> {
                    go.await();
                    return site.lease(repo.url(), tag, repo.index(tag));
                }));
            }
            long start = System.nanoTime();
            go.countDown();
            List<SandcastleSite.Timed> leases = new ArrayList<>();
            for (Future<SandcastleSite.Timed> f : futures) {
                leases.add(f.get());
            }
            long all = (System.nanoTime() - start) / 1000;
            leases.forEach(SandcastleSite::end);
            return new AtOnce(leases, all);
        } finally {
            clients.shutdownNow();
        }
    }

    private static void report(List<SandcastleSite.Timed> warm, List<SandcastleSite.Timed> cold, AtOnce atOnce,
                               List<SandcastleSite.Timed> firsts, List<SandcastleSite.Timed> seconds, WorktreeYardstick.Result yard) {
        System.out.println("| case | n | ACTIVE p50 / p90 / max (ms) | 200 confirmed p50 / p90 / max (ms) |");
        System.out.println("|---|---:|---:|---:|");
        row("(a) warm clone, new ref (a new commit's tag)", warm);
        row("(b) cold clone (a repository no clone has)", cold);
        row("(c) " + AT_ONCE + " leases of " + AT_ONCE + " tags at once, each", atOnce.leases());
        row("(d) first lease of a new tag", firsts);
        row("(d) second lease of the same tag, first held", seconds);
        System.out.printf(Locale.ROOT, "| yardstick: git worktree add --detach (bare clone, same tree) | %d | | %s |%n",
                yard.add().length, spread(yard.add()));
        System.out.printf(Locale.ROOT, "| yardstick: git fetch of the tag + rev-parse + worktree add | %d | | %s |%n",
                yard.fetchAdd().length, spread(yard.fetchAdd()));
        System.out.println();
        System.out.printf(Locale.ROOT, "(c) all %d answered 200 in %.0f ms; each (ACTIVE / 200, ms): %s%n", AT_ONCE, atOnce.allMicros() / 1000.0,
                String.join(", ", atOnce.leases().stream().map(t -> String.format(Locale.ROOT, "%.0f/%.0f", t.activeMs(), t.okMs())).toList()));
        System.out.printf(Locale.ROOT, "(a) p50 to 200 is %.1fx the yardstick's worktree add p50 (%.0f ms more)%n",
                p(warm, SandcastleSite.Timed::okMicros, 50) / Percentiles.ms(yard.add(), yard.add().length, 50),
                p(warm, SandcastleSite.Timed::okMicros, 50) - Percentiles.ms(yard.add(), yard.add().length, 50));
        System.out.printf(Locale.ROOT, "%n{\"warm_p50_ms\": %.1f, \"warm_p90_ms\": %.1f, \"cold_p50_ms\": %.1f, \"at_once_all_ms\": %.1f,"
                        + " \"second_p50_ms\": %.1f, \"worktree_add_p50_ms\": %.1f}%n",
                p(warm, SandcastleSite.Timed::okMicros, 50), p(warm, SandcastleSite.Timed::okMicros, 90),
                p(cold, SandcastleSite.Timed::okMicros, 50), atOnce.allMicros() / 1000.0, p(seconds, SandcastleSite.Timed::okMicros, 50),
                Percentiles.ms(yard.add(), yard.add().length, 50));
    }

    private static void row(String name, List<SandcastleSite.Timed> runs) {
        System.out.printf(Locale.ROOT, "| %s | %d | %s | %s |%n", name, runs.size(),
                spread(micros(runs, SandcastleSite.Timed::activeMicros)), spread(micros(runs, SandcastleSite.Timed::okMicros)));
    }

    private static String spread(long[] micros) {
        return String.format(Locale.ROOT, "%.0f / %.0f / %.0f", Percentiles.ms(micros, micros.length, 50),
                Percentiles.ms(micros, micros.length, 90), Percentiles.ms(micros, micros.length, 100));
    }

    private static double p(List<SandcastleSite.Timed> runs, ToLongFunction<SandcastleSite.Timed> what, double p) {
        return Percentiles.ms(micros(runs, what), runs.size(), p);
    }

    private static long[] micros(List<SandcastleSite.Timed> runs, ToLongFunction<SandcastleSite.Timed> what) {
        return runs.stream().mapToLong(what).toArray();
    }

    private static void awaitDestroyed(Drydock drydock, String blueprint) {
        Await.until("every resource of " + blueprint + " destroyed", SandcastleSite.WAIT, () -> drydock.resources().stream()
                .filter(r -> r.blueprintName().equals(blueprint)).allMatch(r -> r.status() == ResourceStatus.DESTROYED));
    }

    /**
     * Releases what a failed phase left held, then destroys the web roots (stopping their nginx), the
     * clones and the host, in that order, so no process outlives the run.
     */
    private static void cleanUp(Drydock drydock) {
        for (String type : List.of("webroot", "working-copy", "host")) {
            List<LeaseInfo> held = drydock.leases(Optional.empty(), 10_000).stream()
                    .filter(l -> l.resourceType().equals(type) && HELD.contains(l.status())).toList();
            held.forEach(l -> drydock.releaseLease(l.id(), "drydock-bench clean-up"));
            Await.until("every " + type + " lease cleaned up", SandcastleSite.WAIT, () -> drydock.leases(Optional.empty(), 10_000).stream()
                    .noneMatch(l -> l.resourceType().equals(type) && l.status() != LeaseStatus.DESTROYED && l.status() != LeaseStatus.BROKEN));
            drydock.resources().stream().filter(r -> r.resourceType().equals(type) && r.status() != ResourceStatus.DESTROYED)
                    .map(ResourceInfo::id).forEach(drydock::releaseResource);
            Await.until("every " + type + " resource destroyed", SandcastleSite.WAIT, () -> drydock.resources().stream()
                    .filter(r -> r.resourceType().equals(type)).allMatch(r -> r.status() == ResourceStatus.DESTROYED));
        }
    }

    private static long tcpSockets() throws IOException {
        long n = 0;
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path path = Path.of(table);
            n += Files.exists(path) ? Math.max(0, Files.readAllLines(path).size() - 1) : 0;
        }
        return n;
    }

    /** {@value #PORTS} consecutive ports on 127.0.0.1 nothing listens on now, as {@code FIRST-LAST}. */
    private static String freePorts() throws IOException {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        for (int first = 28_100; first < 60_000; first += PORTS) {
            boolean free = true;
            for (int port = first; port < first + PORTS && free; port++) {
                try (ServerSocket socket = new ServerSocket(port, 1, loopback)) {
                    socket.setReuseAddress(true);
                } catch (IOException e) {
                    free = false;
                }
            }
            if (free) {
                return first + "-" + (first + PORTS - 1);
            }
        }
        throw new IOException("no " + PORTS + " consecutive free ports on 127.0.0.1 from 28100");
    }
}
