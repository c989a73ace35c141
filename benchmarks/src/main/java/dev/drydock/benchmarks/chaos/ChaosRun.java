package dev.drydock.benchmarks.chaos;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.drydock.api.LeaseInfo;
import dev.drydock.api.LeaseStatus;
import dev.drydock.api.ResourceStatus;
import dev.drydock.blueprint.localhost.LocalHostBlueprint;
import dev.drydock.core.Drydock;
import dev.drydock.embedded.PrivateFiles;
import dev.drydock.embedded.TemporaryPostgres;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * One chaos run (docs/reliability.md): a Debian PostgreSQL of its own, taskmasters in JVMs of their
 * own, clients leasing local-host slots through the Java API; the busiest taskmaster SIGKILLed on
 * a schedule and the database restarted once; then everything drained and the invariants checked.
 */
public final class ChaosRun {
    private static final String BLUEPRINT = "chaos-hosts";
    private static final Duration DRAIN = Duration.ofMinutes(3);
    private static final int LIST_ALL = 10_000;
    private static final Duration SETTLE_AFTER_RESTART = Duration.ofSeconds(3);

    private final ChaosOptions options;
    private final PrintStream progress;
    private Optional<Instant> restartedAt = Optional.empty();

    public ChaosRun(ChaosOptions options, PrintStream progress) {
        this.options = options;
        this.progress = progress;
    }

    /**
     * Runs it in a temporary directory of its own, deleted at the end unless an invariant did not
     * hold, the run failed or {@link ChaosOptions#keepLogs} asks to keep it: then its taskmaster
     * logs stay, and it prints where.
     */
    public ChaosResult run() throws IOException, SQLException, InterruptedException {
        Path work = Files.createTempDirectory("drydock-chaos-"); // 0700
        Path root = PrivateFiles.directory(work.resolve("hosts"));
        Path logs = PrivateFiles.directory(work.resolve("logs"));
        boolean passed = false;
        try (TemporaryPostgres pg = TemporaryPostgres.start(DebianPostgres.binaries(), Map.of("max_connections", "300"))) {
            progress.println("PostgreSQL (Debian's server) on 127.0.0.1:" + pg.endpoint().port() + "; logs in " + logs);
            ChaosResult result = run(pg, root, logs);
            passed = result.invariantsHold();
            return result;
        } finally {
            PrivateFiles.deleteTree(root);
            if (passed && !options.keepLogs()) {
                PrivateFiles.deleteTree(work);
                progress.println("taskmaster logs deleted: every invariant held (--keep-logs keeps them)");
            } else {
                progress.println("taskmaster logs kept in " + logs);
            }
        }
    }

    private ChaosResult run(TemporaryPostgres pg, Path root, Path logs) throws SQLException, InterruptedException {
        String jdbcUrl = pg.endpoint().jdbcUrl();
        try (HikariDataSource pool = pool(jdbcUrl, pg.endpoint().user(), pg.endpoint().password());
             Drydock drydock = Drydock.builder(pool).register(new LocalHostBlueprint()).build();
             Taskmasters taskmasters = new Taskmasters(jdbcUrl, pg.endpoint().user(), pg.endpoint().password(), logs);
             LimitSampler sampler = new LimitSampler(pool, BLUEPRINT, options.limit(), options.capacity())) {
            drydock.blueprints().create(BLUEPRINT, LocalHostBlueprint.TYPE,
                    "{\"root\": \"" + root + "\", \"capacity\": " + options.capacity() + "}", options.limit());
            for (int i = 0; i < options.taskmasters(); i++) {
                taskmasters.startOne();
            }
            sampler.start();
            Clients clients = new Clients(drydock, BLUEPRINT);
            Instant start = Instant.now();
            clients.start(options.clients());
            progress.println(options.clients() + " clients leasing for " + options.seconds() + " s against " + options.taskmasters()
                    + " taskmasters; blueprint limit " + options.limit() + ", capacity " + options.capacity());
            Duration downtime = faults(pg, taskmasters, pool, start);
            clients.stop();
            progress.println("clients stopped; draining");
            List<LeaseRecord> records = clients.records();
            int orphaned = releaseOrphans(drydock, records);
            await("every lease destroyed", () -> drydock.leases(Optional.empty(), LIST_ALL).stream()
                    .allMatch(l -> l.status() == LeaseStatus.DESTROYED));
            List<String> leaseDirectories = leaseDirectoriesLeft(root, drydock);
            drydock.resources().stream().filter(r -> r.status() == ResourceStatus.ACTIVE || r.status() == ResourceStatus.PENDING)
                    .forEach(r -> drydock.releaseResource(r.id()));
            await("every resource destroyed", () -> drydock.resources().stream().allMatch(r -> r.status() == ResourceStatus.DESTROYED));
            sampler.close();
            taskmasters.close();
            List<Invariants.Check> checks = new ArrayList<>(new Invariants(pool).check(records, root));
            checks.add(new Invariants.Check("no lease directory left, once its lease was destroyed, where it was served", leaseDirectories));
            List<WaitFigures.AroundFault> around = new ArrayList<>();
            Instant calmUntil = Stream.concat(taskmasters.kills().stream().map(Taskmasters.Kill::at), restartedAt.stream())
                    .min(Instant::compareTo).orElse(Instant.now());
            taskmasters.kills().forEach(k -> around.add(WaitFigures.around("SIGKILL " + k.name(), k.at(), records, calmUntil)));
            restartedAt.ifPresent(at -> around.add(WaitFigures.around("database restart", at, records, calmUntil)));
            int broken = (int) records.stream().filter(r -> r.active().isEmpty()).count();
            return new ChaosResult(checks, sampler.violations(), sampler.summary(), taskmasters.kills(), around,
                    WaitFigures.of(records), records.size(), broken, clients.refusedCalls(), orphaned, downtime);
        }
    }

    /** Kills the busiest taskmaster every {@code killEvery} and restarts the database once; returns how long it was down. */
    private Duration faults(TemporaryPostgres pg, Taskmasters taskmasters, HikariDataSource pool, Instant start) throws InterruptedException {
        Instant end = start.plusSeconds(options.seconds());
        Instant nextKill = start.plus(options.killEvery());
        Optional<Instant> restart = options.restartDatabase() ? Optional.of(start.plus(options.restartAt())) : Optional.empty();
        Duration downtime = Duration.ZERO;
        List<Thread> killers = new ArrayList<>();
        while (Instant.now().isBefore(end)) {
            Instant now = Instant.now();
            if (restart.isPresent() && !now.isBefore(restart.get())) {
                restart = Optional.empty();
                // a restart during a take-over would leave the victim to its task lease: one fault at a time
                for (Thread killer : killers) {
                    killer.join();
                }
                Instant at = Instant.now();
                pg.restart();
                downtime = Duration.between(at, Instant.now());
                restartedAt = Optional.of(at);
                progress.println("database restarted: down " + downtime.toMillis() + " ms");
                // and a kill before the taskmasters are back on the database would measure the restart, not the kill
                Instant settled = Instant.now().plus(SETTLE_AFTER_RESTART);
                nextKill = nextKill.isBefore(settled) ? settled : nextKill;
            } else if (!now.isBefore(nextKill)) {
                nextKill = nextKill.plus(options.killEvery());
                // measured on a thread of its own: a slow take-over must not delay the next fault
                killers.add(Thread.ofPlatform().name("chaos-kill").start(() -> kill(taskmasters, pool)));
            } else {
                Thread.sleep(100);
            }
        }
        for (Thread killer : killers) {
            killer.join();
        }
        return downtime;
    }

    private void kill(Taskmasters taskmasters, HikariDataSource pool) {
        try {
            Taskmasters.Kill kill = taskmasters.killBusiest(pool);
            progress.println("SIGKILL " + kill.name() + " (" + kill.tasksHeld() + " tasks running): taken over after "
                    + kill.takenOverAfter().toMillis() + " ms");
        } catch (SQLException e) {
            progress.println("could not pick the busiest taskmaster (" + e.getMessage() + "); no kill this time");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Leases no client knows (made by an acquire whose answer was lost in the restart) are released
     * as an operator would; returns how many there were.
     */
    private static int releaseOrphans(Drydock drydock, List<LeaseRecord> records) {
        Set<Long> known = records.stream().map(LeaseRecord::id).collect(Collectors.toSet());
        List<LeaseInfo> orphans = drydock.leases(Optional.empty(), LIST_ALL).stream().filter(l -> !known.contains(l.id())).toList();
        orphans.stream().filter(l -> l.status() != LeaseStatus.DESTROYED && l.status() != LeaseStatus.RELEASED)
                .forEach(l -> drydock.releaseLease(l.id(), "chaos run: no client holds it"));
        return orphans.size();
    }

    /**
     * Lease directories left on the resource that served their (destroyed) lease. A directory made
     * on another resource is not one: local-host acquires leases ahead of taking the share, and when
     * a taskmaster dies (or the database goes away) between the two, what it made stays until that
     * resource is destroyed (BlueprintImplementation.acquiresLeasesAhead); the check that no
     * directory is left once every resource is destroyed covers those.
     */
    private List<String> leaseDirectoriesLeft(Path root, Drydock drydock) {
        Map<Long, LeaseInfo> leases = drydock.leases(Optional.empty(), LIST_ALL).stream().collect(Collectors.toMap(LeaseInfo::id, l -> l));
        List<String> left = new ArrayList<>();
        try (Stream<Path> all = Files.walk(root)) {
            for (Path dir : all.filter(p -> LEASE_DIRECTORY.matcher(p.getFileName().toString()).matches()).toList()) {
                if (!RESOURCE_DIRECTORY.matcher(dir.getParent().getFileName().toString()).matches()) {
                    left.add(dir + " is left");
                    continue;
                }
                long resource = Long.parseLong(dir.getParent().getFileName().toString().substring("resource-".length()));
                long lease = Long.parseLong(dir.getFileName().toString().substring("lease-".length()));
                Optional<LeaseInfo> info = Optional.ofNullable(leases.get(lease));
                Optional<Long> served = info.flatMap(LeaseInfo::resourceId);
                if (served.equals(Optional.of(resource))) {
                    left.add(dir + " is left (its lease was served there and ended " + info.map(l -> l.status() + ": " + l.statusReason())
                            .orElse("") + ")");
                } else {
                    progress.println("lease " + lease + "'s directory made ahead on resource " + resource + " (the lease was served "
                            + served.map(r -> "by resource " + r).orElse("by none") + ") is left until that resource is destroyed");
                }
            }
        } catch (IOException | RuntimeException e) {
            left.add("cannot list " + root + ": " + e.getMessage());
        }
        return left;
    }

    private static final Pattern LEASE_DIRECTORY = Pattern.compile("lease-[0-9]+");
    private static final Pattern RESOURCE_DIRECTORY = Pattern.compile("resource-[0-9]+");

    private static void await(String what, BooleanSupplier done) throws InterruptedException {
        Instant deadline = Instant.now().plus(DRAIN);
        while (!done.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                return; // the invariants say what is left
            }
            Thread.sleep(200);
        }
    }

    private HikariDataSource pool(String jdbcUrl, String user, String password) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(Math.min(40, options.clients() + 4));
        config.setConnectionTimeout(2_000);
        config.setInitializationFailTimeout(-1);
        config.setPoolName("chaos-clients");
        return new HikariDataSource(config);
    }
}
