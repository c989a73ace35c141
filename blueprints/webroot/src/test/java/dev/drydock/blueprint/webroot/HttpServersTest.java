package dev.drydock.blueprint.webroot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drydock.api.DrydockException;
import dev.drydock.interfaces.local.LocalCommandInterface;
import dev.drydock.interfaces.local.LocalFilesystemInterface;
import dev.drydock.testing.TempFiles;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Real servers on 127.0.0.1, started through the local command and filesystem interfaces over a temporary directory. */
class HttpServersTest {
    @TempDir
    Path temp;
    private Path base;
    private HostAccess host;
    private final List<Runnable> cleanUp = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeEach
    void setUp() throws IOException {
        base = temp.toRealPath();
        host = new HostAccess(new LocalCommandInterface(base), new LocalFilesystemInterface(base));
    }

    @AfterEach
    void tearDown() {
        cleanUp.forEach(Runnable::run);
        http.close();
    }

    @ParameterizedTest
    @EnumSource(ServerKind.class)
    void servesTwoSitesReloadsAndStopsThemOneByOneAndAllAtOnce(ServerKind kind) throws Exception {
        HttpServer server = installed(kind);
        String resourceDir = resourceDir(kind);
        Site a = site(1, resourceDir, "site a");
        Site b = site(2, resourceDir, "site b");

        Map<String, String> facts = server.serve(host, a);
        server.serve(host, b);
        assertThat(body(a)).isEqualTo("site a\n");
        assertThat(body(b)).isEqualTo("site b\n");
        List<Long> processes = settledProcessesUnder(resourceDir);

        assertThat(server.serve(host, a)).isEqualTo(facts);
        assertThat(settledProcessesUnder(resourceDir)).as("no second server for a site already served").isEqualTo(processes);
        server.reload(host, a);
        assertThat(body(a)).isEqualTo("site a\n");
        assertThat(server.serving(host, a)).isTrue();

        server.stop(host, a);
        server.stop(host, a);
        try (ReadinessProbe probe = new ReadinessProbe()) {
            assertThat(probe.problem(a.uri().resolve("/index.html"))).contains("refused the connection");
        }
        assertThat(server.serving(host, a)).isFalse();
        assertThatThrownBy(() -> server.reload(host, a)).isInstanceOf(ServerNotRunningException.class).hasMessageContaining(a.uri().toString());
        assertThat(body(b)).isEqualTo("site b\n");

        assertThat(server.stopAll(host, resourceDir)).isEqualTo(1);
        assertThat(settledProcessesUnder(resourceDir)).isEmpty();
        assertThat(server.stopAll(host, resourceDir)).isZero();
    }

    @Test
    void busyboxNeverRunsAServedProgram() throws Exception {
        HttpServer server = installed(ServerKind.BUSYBOX);
        String resourceDir = resourceDir(ServerKind.BUSYBOX);
        Site site = site(1, resourceDir, "plain");
        Path root = Path.of(site.root());
        Path marker = base.resolve("MARKER");
        String script = "#!/bin/sh\ntouch " + marker + "\nprintf 'Content-Type: text/plain\\r\\n\\r\\nran\\n'\n";
        program(root.resolve("cgi-bin/x"), script);
        assertThatThrownBy(() -> server.serve(host, site)).isInstanceOf(DrydockException.class).hasMessageContaining("cgi-bin");

        // Content that turns up after the site is served, where only the configuration stands in the way.
        TempFiles.deleteTree(root.resolve("cgi-bin"));
        server.serve(host, site);
        Files.delete(root.resolve("index.html"));
        program(root.resolve("cgi-bin/x"), script);
        program(root.resolve("cgi-bin/index.cgi"), script);
        program(root.resolve("sub/t.cgi"), script);
        assertThat(status(site, "/cgi-bin/x")).isEqualTo(401);
        assertThat(status(site, "/cgi-bin/index.cgi")).isEqualTo(401);
        assertThat(status(site, "/%63gi-bin/x")).isEqualTo(401);
        assertThat(status(site, "/")).isEqualTo(404);
        assertThat(status(site, "/sub/")).isEqualTo(404);
        assertThat(status(site, "/sub/t.cgi")).isEqualTo(404);
        assertThat(marker).doesNotExist();

        TempFiles.deleteTree(root.resolve("cgi-bin"));
        Files.writeString(root.resolve("sub/httpd.conf"), "*.sh:/bin/sh\n");
        assertThatThrownBy(() -> server.reload(host, site)).isInstanceOf(DrydockException.class).hasMessageContaining("httpd.conf");
        server.stop(host, site);
    }

    @Test
    void autoPrefersNginxAndNginxExplainsABadConfiguration() throws Exception {
        HttpServer server = installed(ServerKind.NGINX);
        assertThat(HttpServers.detect(host, ServerPreference.AUTO).kind()).isEqualTo(ServerKind.NGINX);
        String resourceDir = resourceDir(ServerKind.NGINX);
        Site site = site(1, resourceDir, "x");
        Files.createDirectories(Path.of(resourceDir, "nginx/sites"));
        Files.writeString(Path.of(resourceDir, "nginx/sites/lease-99.conf"), "bogus_directive on;\n");
        assertThatThrownBy(() -> server.serve(host, site)).isInstanceOf(DrydockException.class)
                .hasMessageContaining("nginx rejects the configuration").hasMessageContaining("bogus_directive");
        Files.delete(Path.of(resourceDir, "nginx/sites/lease-99.conf"));
        server.serve(host, site);
        assertThat(body(site)).isEqualTo("x\n");
        server.stop(host, site);
        assertThat(settledProcessesUnder(resourceDir)).isEmpty();
    }

    private HttpServer installed(ServerKind kind) {
        try {
            return HttpServers.detect(host, ServerPreference.valueOf(kind.name()));
        } catch (DrydockException e) {
            Assumptions.abort(kind.label() + " is not installed here: " + e.getMessage());
            throw e;
        }
    }

    private String resourceDir(ServerKind kind) {
        String resourceDir = base.resolve("res-" + kind.name().toLowerCase(Locale.ROOT)).toString();
        HttpServer server = HttpServers.detect(host, ServerPreference.valueOf(kind.name()));
        cleanUp.add(() -> server.stopAll(host, resourceDir));
        return resourceDir;
    }

    private Site site(long leaseId, String resourceDir, String content) throws IOException {
        Path root = Files.createDirectories(base.resolve("www-" + Path.of(resourceDir).getFileName() + "-" + leaseId));
        Files.writeString(root.resolve("index.html"), content + "\n");
        return new Site(leaseId, root.toString(), "127.0.0.1", freePort(), resourceDir + "/lease-" + leaseId);
    }

    private String body(Site site) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(site.uri().resolve("/index.html")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    private int status(Site site, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(site.uri() + path.substring(1))).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static void program(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }

    /** The pids on this machine whose command line names a path under {@code directory}. */
    /**
     * The processes whose command line names {@code directory}, once two looks {@link #SETTLE} apart
     * agree: a server that forks a child per request (busybox httpd) has one exiting after the
     * response was read, which a single look on a loaded machine can still see.
     */
    private static List<Long> settledProcessesUnder(String directory) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + SETTLE_AT_MOST.toNanos();
        List<Long> seen = processesUnder(directory);
        while (true) {
            Thread.sleep(SETTLE.toMillis());
            List<Long> now = processesUnder(directory);
            if (now.equals(seen) || System.nanoTime() > deadline) {
                return now;
            }
            seen = now;
        }
    }

    private static final Duration SETTLE = Duration.ofMillis(200);
    private static final Duration SETTLE_AT_MOST = Duration.ofSeconds(10);

    private static List<Long> processesUnder(String directory) throws IOException {
        List<Long> found = new ArrayList<>();
        try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
            for (Path entry : entries.filter(p -> p.getFileName().toString().matches("[0-9]+")).toList()) {
                try {
                    String cmdline = new String(Files.readAllBytes(entry.resolve("cmdline")), StandardCharsets.UTF_8);
                    if (cmdline.contains(directory + "/")) {
                        found.add(Long.parseLong(entry.getFileName().toString()));
                    }
                } catch (IOException gone) {
                    // The process ended while the list was read.
                }
            }
        }
        return found.stream().sorted().toList();
    }
}
