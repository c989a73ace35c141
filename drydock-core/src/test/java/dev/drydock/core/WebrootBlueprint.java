package dev.drydock.core;

import dev.drydock.api.HttpdInterface;
import dev.drydock.api.ResourceInterface;
import dev.drydock.api.spi.BlueprintImplementation;
import dev.drydock.api.spi.ConfigProblem;
import dev.drydock.api.spi.LeaseContext;
import dev.drydock.api.spi.LeaseView;
import dev.drydock.api.spi.Progress;
import dev.drydock.api.spi.ResourceContext;
import dev.drydock.testing.TempFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A webroot on 127.0.0.1 (DESIGN §11), as a test of what a webroot blueprint needs from the engine:
 * each lease's directory is served by a busybox httpd of its own, on a port of the configuration's
 * range taken as a lease slot; the port and pid are recorded on the lease, which is all that
 * stopping it needs, and releasing the lease stops it. The directory holds one page naming the lease.
 * {@code crashOnce} makes each lease's first acquireLease throw once it took its port and started its
 * server, as a taskmaster dying before it could record them would. Serves only the page it writes:
 * busybox httpd runs the executables under a served cgi-bin/, so it must never serve a checkout.
 */
final class WebrootBlueprint implements BlueprintImplementation<WebrootBlueprint.Config> {
    /**
     * {@code capacity}: leases per resource (1 by default), which may be more than there are ports;
     * {@code portWaitSeconds}: how long a lease without a free port says to wait (0.1 s by default).
     */
    record Config(String root, List<Integer> ports, Integer capacity, Boolean crashOnce, Integer portWaitSeconds) {}

    static final String PORT = "port";
    static final String PID = "pid";
    private static final Duration RECHECK = Duration.ofMillis(100);
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(1)).build();
    /** The port each lease held when its first acquireLease crashed on purpose. */
    final Map<Long, String> crashedHolding = new ConcurrentHashMap<>();

    @Override
    public String type() {
        return "local-webroot";
    }

    @Override
    public String resourceType() {
        return "webroot";
    }

    @Override
    public Class<Config> configType() {
        return Config.class;
    }

    @Override
    public List<ConfigProblem> validate(Config config) {
        List<ConfigProblem> problems = new ArrayList<>();
        if (config.root() == null || !Path.of(config.root()).isAbsolute()) {
            problems.add(new ConfigProblem("root", "must be an absolute path, was " + config.root()));
        }
        if (config.ports() == null || config.ports().isEmpty() || config.ports().stream().anyMatch(p -> p == null || p < 1024 || p > 65535)) {
            problems.add(new ConfigProblem("ports", "must list ports from 1024 to 65535, was " + config.ports()));
        }
        return problems;
    }

    @Override
    public int capacity(Config config) {
        return config.capacity() == null ? 1 : config.capacity();
    }

    @Override
    public Progress allocate(Config config, ResourceContext resource) {
        createDirectories(resourceDir(config, resource.resource().id()));
        return Progress.done();
    }

    @Override
    public Progress acquireLease(Config config, ResourceContext resource, LeaseContext lease) {
        long resourceId = resource.resource().id();
        long leaseId = lease.lease().id();
        Optional<String> port = lease.takeSlot(PORT, config.ports().stream().map(String::valueOf).toList());
        if (port.isEmpty()) {
            Duration wait = config.portWaitSeconds() == null ? RECHECK : Duration.ofSeconds(config.portWaitSeconds());
            return Progress.checkAgainIn(wait, "a free port: all " + config.ports().size() + " serve other leases of resource " + resourceId);
        }
        Path dir = leaseDir(config, resourceId, leaseId);
        BusyboxHttpd httpd = httpd(dir, port.get());
        createDirectories(httpd.served());
        write(httpd.served().resolve("index.html"), "lease " + leaseId + "\n");
        write(httpd.conf(), "");
        lease.setAttribute(PORT, port.get());
        // the recorded server, or one a crashed try started and could not record
        long pid = recordedPid(lease.lease()).filter(httpd::runsAs).or(httpd::find).orElseGet(() -> httpd.start(dir.resolve("httpd.log")));
        lease.setAttribute(PID, Long.toString(pid));
        if (Boolean.TRUE.equals(config.crashOnce()) && crashedHolding.putIfAbsent(leaseId, port.get()) == null) {
            throw new IllegalStateException("on purpose: the step died after lease " + leaseId + " took port " + port.get() + " and started httpd " + pid);
        }
        if (httpd.runsAs(pid) && answersOk(httpd.uri())) {
            return Progress.done();
        }
        return Progress.checkAgainIn(RECHECK, "httpd " + pid + " to answer 200 on " + httpd.uri()
                + (httpd.runsAs(pid) ? "" : " (it exited; see " + dir.resolve("httpd.log") + ")"));
    }

    @Override
    public void releaseLease(Config config, ResourceContext resource, LeaseContext lease) {
        Path dir = leaseDir(config, resource.resource().id(), lease.lease().id());
        Optional<String> port = Optional.ofNullable(lease.lease().leaseAttributes().get(PORT));
        Optional<Long> pid = recordedPid(lease.lease());
        if (port.isPresent() && pid.isPresent()) {
            httpd(dir, port.get()).stop(pid.get());
        }
        BusyboxHttpd.stopAllServingUnder(dir); // one a crashed try started before it could record it
        TempFiles.deleteTree(dir);
    }

    @Override
    public Progress destroy(Config config, ResourceContext resource) {
        Path dir = resourceDir(config, resource.resource().id());
        BusyboxHttpd.stopAllServingUnder(dir); // leases whose resource broke are not released one by one
        TempFiles.deleteTree(dir);
        return Progress.done();
    }

    @Override
    public <T extends ResourceInterface> Optional<T> interfaceFor(Config config, ResourceContext resource, LeaseView lease, Class<T> type) {
        String port = lease.leaseAttributes().get(PORT);
        Optional<Long> pid = recordedPid(lease);
        if (type != HttpdInterface.class || port == null || pid.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(type.cast(new LeaseHttpd(httpd(leaseDir(config, resource.resource().id(), lease.id()), port), pid.get())));
    }

    @Override
    public void close() {
        http.close();
    }

    /** What a holder gets: the recorded server's URI, and a reload of that very process. */
    private record LeaseHttpd(BusyboxHttpd httpd, long pid) implements HttpdInterface {
        @Override
        public URI uri() {
            return httpd.uri();
        }

        @Override
        public void reload() {
            httpd.reload(pid);
        }
    }

    private static BusyboxHttpd httpd(Path leaseDir, String port) {
        return new BusyboxHttpd(Integer.parseInt(port), leaseDir.resolve("www"), leaseDir.resolve("httpd.conf"));
    }

    private static Optional<Long> recordedPid(LeaseView lease) {
        return Optional.ofNullable(lease.leaseAttributes().get(PID)).map(Long::valueOf);
    }

    private boolean answersOk(URI uri) {
        try {
            HttpRequest get = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).GET().build();
            return http.send(get, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false; // not listening yet
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static Path resourceDir(Config config, long resourceId) {
        return Path.of(config.root(), "resource-" + resourceId);
    }

    private static Path leaseDir(Config config, long resourceId, long leaseId) {
        return resourceDir(config, resourceId).resolve("lease-" + leaseId);
    }

    private static void createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
