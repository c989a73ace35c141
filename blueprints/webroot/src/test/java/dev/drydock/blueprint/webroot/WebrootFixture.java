package dev.drydock.blueprint.webroot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.api.Lease;
import dev.drydock.api.LeaseInfo;
import dev.drydock.api.LeaseStatus;
import dev.drydock.api.ResourceInfo;
import dev.drydock.api.ResourceStatus;
import dev.drydock.blueprint.localhost.LocalHostBlueprint;
import dev.drydock.blueprint.workingcopy.WorkingCopyBlueprint;
import dev.drydock.core.Drydock;
import dev.drydock.core.EngineCleanUp;
import dev.drydock.taskqueue.Taskmaster;
import dev.drydock.testing.Await;
import dev.drydock.testing.TestDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A Drydock with the local-host, working-copy and webroot blueprints on a test database, and a
 * taskmaster; hosts are directories under {@code hostRoot}, so a test can look at what was left.
 */
final class WebrootFixture implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(90);
    private static final Set<LeaseStatus> RELEASABLE = EnumSet.of(LeaseStatus.PENDING, LeaseStatus.ACQUIRED, LeaseStatus.ACTIVE);
    private static final int ALL = 10_000;
    final Drydock drydock;
    final Taskmaster taskmaster;
    final Path hostRoot;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();

    WebrootFixture(TestDatabase db, Path hostRoot) {
        this(db, hostRoot, List.of());
    }

    WebrootFixture(TestDatabase db, Path hostRoot, List<dev.drydock.api.spi.BlueprintImplementation<?>> more) {
        this.hostRoot = hostRoot;
        Drydock.Builder builder = Drydock.builder(db.dataSource()).stepRetryCap(Duration.ofMillis(300))
                .register(new LocalHostBlueprint()).register(new WorkingCopyBlueprint()).register(new WebrootBlueprint());
        more.forEach(builder::register);
        this.drydock = builder.build();
        this.taskmaster = drydock.taskmaster().threads(16).pollInterval(Duration.ofMillis(100)).build().start();
    }

    /** One local host (under {@code hostRoot}) holding up to {@code capacity} leases: web roots and clones share it. */
    void localHost(String name, int capacity) {
        drydock.blueprints().create(name, LocalHostBlueprint.TYPE, "{\"root\": \"" + hostRoot + "\", \"capacity\": " + capacity + "}", 1);
    }

    void workingCopies(String name, SiteRepository repo) {
        drydock.blueprints().create(name, WorkingCopyBlueprint.TYPE, "{\"repository\": \"" + repo.url() + "\", \"capacity\": 8,"
                + " \"keepIdleMinutes\": 0}", 4);
    }

    void webroots(String name, String configJson, int limit) {
        drydock.blueprints().create(name, WebrootBlueprint.TYPE, configJson, limit);
    }

    /** The body of a GET of {@code uri}, which must answer 200. */
    String get(URI uri) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET().build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            if (response.statusCode() != 200) {
                throw new AssertionError("GET " + uri + " answered " + response.statusCode() + ": " + response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + uri, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Whether nothing listens at {@code uri} any more: the connection is refused. */
    boolean refused(URI uri) {
        try {
            http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.discarding());
            return false;
        } catch (ConnectException e) {
            return true;
        } catch (IOException e) {
            return e.getCause() instanceof ConnectException;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The command lines of the processes on this machine that name a path under the host root. */
    List<String> processesUnderHostRoot() {
        return processesNaming(hostRoot.toAbsolutePath().toString()).stream()
                .map(p -> commandLine(Path.of("/proc", Long.toString(p.pid())))).toList();
    }

    /**
     * The processes on this machine whose command line names {@code path}, or that work in it or
     * below (an nginx worker names no path; one whose master was killed outright lives on).
     */
    static List<ProcessHandle> processesNaming(String path) {
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            return procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                    .filter(p -> commandLine(p).contains(path) || workingDirectory(p).startsWith(path))
                    .flatMap(p -> ProcessHandle.of(Long.parseLong(p.getFileName().toString())).stream()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SIGKILLs every process whose command line names {@code path}, with its descendants (an nginx master's workers name nothing). */
    static void killProcessesNaming(String path) {
        // again each round: a worker may be found only once its master is gone (by its working directory)
        Await.until("no process naming " + path, WAIT, () -> {
            List<ProcessHandle> left = processesNaming(path);
            left.stream().flatMap(p -> Stream.concat(p.descendants(), Stream.of(p))).forEach(WebrootFixture::sigkill);
            return left.isEmpty();
        });
    }

    /**
     * {@code kill -KILL}: ProcessHandle.destroyForcibly was seen to leave an orphaned nginx worker
     * (parent PID 1) running here, for reasons of its own.
     */
    private static void sigkill(ProcessHandle process) {
        try {
            new ProcessBuilder("kill", "-KILL", Long.toString(process.pid())).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String workingDirectory(Path proc) {
        try {
            return Files.readSymbolicLink(proc.resolve("cwd")).toString();
        } catch (IOException e) {
            return ""; // exited meanwhile, or not ours to read
        }
    }

    private static String commandLine(Path proc) {
        try {
            return new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8).replace('\0', ' ');
        } catch (IOException e) {
            return ""; // exited meanwhile
        }
    }

    /** The working-copy checkouts left under the host root: {@code .../working-copy/lease-N} directories. */
    List<Path> checkoutsLeft() {
        try (Stream<Path> paths = Files.walk(hostRoot)) {
            return paths.filter(Files::isDirectory).filter(p -> p.getParent() != null && p.getParent().getFileName() != null
                    && p.getParent().getFileName().toString().equals("working-copy") && p.getFileName().toString().startsWith("lease-")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until {@code lease} has ended and been cleaned up, and so has the checkout it sub-leased, if any (its clean-up comes after). */
    void awaitCleanedUp(Lease lease) {
        Await.until("lease " + lease.id() + " cleaned up", WAIT, () -> lease.info().status() == LeaseStatus.DESTROYED);
        Optional.ofNullable(lease.info().leaseAttributes().get("checkout.lease")).map(Long::parseLong).ifPresent(checkout ->
                Await.until("its checkout, lease " + checkout + ", cleaned up", WAIT,
                        () -> drydock.allocator().find(checkout).orElseThrow().status() == LeaseStatus.DESTROYED));
    }

    /** The reason {@code lease} broke, once it has; fails if it ended otherwise. Its clean-up may have followed. */
    String brokenReason(Lease lease) {
        Await.until("lease " + lease.id() + " ends", WAIT, () -> lease.info().status().isDone());
        LeaseInfo info = lease.info();
        assertThat(info.status() == LeaseStatus.BROKEN || info.statusReason().startsWith("broke: "))
                .as("lease %s broke; it is %s: %s", info.id(), info.status(), info.statusReason()).isTrue();
        return info.statusReason();
    }

    ResourceInfo resource(long id) {
        return drydock.resource(id).orElseThrow();
    }

    /** Runs {@code test}, then {@link #cleanUp} whatever happened, then checks that destroying the web roots stopped every server. */
    void thenCleanUp(Runnable test) {
        try {
            test.run();
        } finally {
            cleanUp();
        }
        assertThat(processesUnderHostRoot()).as("server processes left after the web roots were destroyed").isEmpty();
    }

    /** Ends every lease and resource, web roots first (they hold clones' leases), then deletes every blueprint. */
    void cleanUp() {
        try {
            for (String type : List.of("webroot", "working-copy")) {
                drydock.leases(Optional.empty(), ALL).stream().filter(l -> l.resourceType().equals(type) && RELEASABLE.contains(l.status()))
                        .forEach(l -> drydock.releaseLease(l.id(), "test clean-up"));
                Await.until("every " + type + " lease cleaned up", WAIT, () -> drydock.leases(Optional.empty(), ALL).stream()
                        .filter(l -> l.resourceType().equals(type))
                        .allMatch(l -> l.status() == LeaseStatus.DESTROYED));
                drydock.resources().stream().filter(r -> r.resourceType().equals(type))
                        .filter(r -> r.status() == ResourceStatus.ACTIVE || r.status() == ResourceStatus.PENDING)
                        .forEach(r -> drydock.releaseResource(r.id()));
                Await.until("every " + type + " destroyed", WAIT, () -> drydock.resources().stream()
                        .filter(r -> r.resourceType().equals(type)).allMatch(r -> r.status() == ResourceStatus.DESTROYED));
            }
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\n" + EngineCleanUp.resourcesLeft(drydock), e);
        }
        EngineCleanUp.destroyEverything(drydock);
        drydock.blueprints().list().forEach(b -> drydock.blueprints().delete(b.name()));
    }

    @Override
    public void close() {
        try {
            taskmaster.close();
        } finally {
            try {
                drydock.close();
            } finally {
                http.close();
            }
        }
    }
}
