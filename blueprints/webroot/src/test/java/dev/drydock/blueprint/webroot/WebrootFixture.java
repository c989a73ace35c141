package dev.drydock.blueprint.webroot;

import dev.drydock.api.LeaseStatus;
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
        String root = hostRoot.toAbsolutePath().toString();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            return procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                    .map(p -> {
                        try {
                            return new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8).replace('\0', ' ');
                        } catch (IOException e) {
                            return ""; // exited meanwhile
                        }
                    })
                    .filter(cmd -> cmd.contains(root)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
