package dev.drydock.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drydock.api.HttpdInterface;
import dev.drydock.api.Lease;
import dev.drydock.api.LeaseRequest;
import dev.drydock.api.LeaseStatus;
import dev.drydock.taskqueue.Taskmaster;
import dev.drydock.testing.Await;
import dev.drydock.testing.LeakCheck;
import dev.drydock.testing.PostgresExtension;
import dev.drydock.testing.TestDatabase;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A webroot lease on 127.0.0.1 (DESIGN §11) through the real engine: its port is a lease slot no
 * other lease of the resource shares, its server is started while it is acquired and answers 200
 * before it is active, what stops the server is recorded on the lease, and releasing it stops serving
 * and frees the port. Everything here listens and is asked on 127.0.0.1 only.
 */
@ExtendWith({PostgresExtension.class, LeakCheck.class})
class WebrootTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private final WebrootBlueprint blueprint = new WebrootBlueprint();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
    private TestDatabase db;
    private Drydock drydock;
    private Taskmaster taskmaster;
    private Path root;

    @BeforeEach
    void start(TestDatabase db) throws IOException {
        this.db = db;
        root = Files.createTempDirectory("drydock-webroots");
        drydock = TestDrydocks.with(db, blueprint);
        taskmaster = TestDrydocks.taskmaster(drydock, 8);
    }

    @AfterEach
    void stop() throws IOException {
        try {
            EngineCleanUp.destroyEverything(drydock);
            drydock.blueprints().list().forEach(b -> drydock.blueprints().delete(b.name()));
            assertThat(BusyboxHttpd.pidsServingUnder(root)).as("no server outlives its lease and resource").isEmpty();
        } finally {
            BusyboxHttpd.stopAllServingUnder(root);
            taskmaster.close();
            drydock.close();
            http.close();
            try (var left = Files.walk(root)) {
                for (Path p : left.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    @Test
    void leasesServeTheirOwnDirectoriesOnTheirOwnPortsAndAReleaseStopsServingAndFreesItsPortForTheNext() throws Exception {
        List<Integer> ports = freePorts(2);
        drydock.blueprints().create("web", "local-webroot", config(ports, 3, false), 1);

        Lease first = acquire();
        Lease second = acquire();
        first.await(WAIT);
        second.await(WAIT);
        HttpdInterface firstServer = first.httpdInterface();
        HttpdInterface secondServer = second.httpdInterface();
        assertThat(List.of(firstServer.uri().getPort(), secondServer.uri().getPort())).as("one port each")
                .containsExactlyInAnyOrderElementsOf(ports);
        assertThat(get(firstServer.uri())).isEqualTo("lease " + first.id() + "\n");
        assertThat(get(secondServer.uri())).isEqualTo("lease " + second.id() + "\n");
        assertThat(first.info().leaseAttributes()).as("what stopping the server needs is recorded")
                .containsEntry(WebrootBlueprint.PORT, Integer.toString(firstServer.uri().getPort()))
                .containsKey(WebrootBlueprint.PID);

        first.release();
        assertThat(first.awaitEnded(WAIT).status()).isEqualTo(LeaseStatus.DESTROYED);
        assertThatThrownBy(() -> get(firstServer.uri())).as("nothing serves the released lease's port").isInstanceOf(ConnectException.class);
        assertThat(slotsOf(first)).as("its port was freed with its clean-up").isZero();
        Lease third = acquire().await(WAIT);
        HttpdInterface thirdServer = third.httpdInterface();
        assertThat(thirdServer.uri()).as("the port the release freed").isEqualTo(firstServer.uri());
        assertThat(get(thirdServer.uri())).isEqualTo("lease " + third.id() + "\n");
        assertThat(get(secondServer.uri())).as("the other lease still serves").isEqualTo("lease " + second.id() + "\n");

        Lease fourth = acquire();
        Await.until("the fourth lease waits for a port", WAIT, () -> fourth.info().statusReason().contains("a free port: all 2 serve other leases"));
        assertThat(fourth.info().status()).as("it holds its share of the resource meanwhile").isEqualTo(LeaseStatus.ACQUIRED);
        second.release();
        HttpdInterface fourthServer = fourth.await(WAIT).httpdInterface();
        assertThat(fourthServer.uri()).as("woken by the clean-up that freed the port, on that port").isEqualTo(secondServer.uri());
        assertThat(get(fourthServer.uri())).isEqualTo("lease " + fourth.id() + "\n");
    }

    @Test
    void aRetriedAcquireKeepsItsPortAndTheServerItStartedAndAReloadTakesUpTheConfigurationOnTheSameUri() throws Exception {
        drydock.blueprints().create("web", "local-webroot", config(freePorts(2), 2, true), 1);

        Lease lease = acquire().await(WAIT);
        HttpdInterface server = lease.httpdInterface();
        String pid = lease.info().leaseAttributes().get(WebrootBlueprint.PID);
        assertThat(blueprint.crashedHolding).as("its first acquireLease died holding a port").containsKey(lease.id());
        assertThat(Integer.toString(server.uri().getPort())).as("the retry got the port it held").isEqualTo(blueprint.crashedHolding.get(lease.id()));
        assertThat(slotsOf(lease)).as("one port, taken once").isEqualTo(1);
        assertThat(db.queryLong("SELECT count(*) FROM dd_log WHERE lease_id = " + lease.id() + " AND message LIKE '%took slot port=%'"))
                .isEqualTo(1);
        assertThat(BusyboxHttpd.pidsServingUnder(root)).as("the retry adopted the server the crashed try started")
                .containsExactly(Long.valueOf(pid));
        assertThat(get(server.uri())).isEqualTo("lease " + lease.id() + "\n");

        // what only a reload takes up: the server's configuration, here a MIME type (busybox re-reads it on SIGHUP)
        Path leaseDir = root.resolve("resource-" + lease.info().resourceId().orElseThrow()).resolve("lease-" + lease.id());
        Files.writeString(leaseDir.resolve("www/page.drydock"), "typed\n");
        Files.writeString(leaseDir.resolve("httpd.conf"), ".drydock:text/x-drydock\n");
        URI typed = server.uri().resolve("page.drydock");
        assertThat(contentType(typed)).as("not before the reload").isNotEqualTo("text/x-drydock");
        server.reload();
        Await.until("the reloaded configuration is served", WAIT, () -> contentType(typed).equals("text/x-drydock"));
        assertThat(get(server.uri())).as("same URI, still serving").isEqualTo("lease " + lease.id() + "\n");
        assertThat(BusyboxHttpd.pidsServingUnder(root)).as("the same process").containsExactly(Long.valueOf(pid));
        lease.release();
        lease.awaitEnded(WAIT);
        assertThatThrownBy(() -> get(server.uri())).isInstanceOf(ConnectException.class);
    }

    private Lease acquire() {
        return drydock.allocator().acquire(LeaseRequest.builder("webroot").build());
    }

    private long slotsOf(Lease lease) {
        return db.queryLong("SELECT count(*) FROM dd_slot_lock WHERE owner_lease_id = " + lease.id());
    }

    /** Leases without a free port say to wait 10 minutes: within a test, only the clean-up that frees a port wakes them. */
    private String config(List<Integer> ports, int capacity, boolean crashOnce) {
        return "{\"root\": \"" + root + "\", \"ports\": " + ports + ", \"capacity\": " + capacity + ", \"crashOnce\": " + crashOnce
                + ", \"portWaitSeconds\": 600}";
    }

    /** The page at {@code uri}, which must answer 200. */
    private String get(URI uri) throws IOException, InterruptedException {
        assertThat(uri.getHost()).isEqualTo("127.0.0.1");
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(uri.toString()).isEqualTo(200);
        return response.body();
    }

    /** The Content-Type {@code uri} is served with; empty if none. */
    private String contentType(URI uri) {
        try {
            HttpResponse<Void> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding());
            assertThat(response.statusCode()).as(uri.toString()).isEqualTo(200);
            return response.headers().firstValue("Content-Type").orElse("");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Ports free on 127.0.0.1 a moment ago, all different. */
    private static List<Integer> freePorts(int n) throws IOException {
        List<ServerSocket> held = IntStream.range(0, n).mapToObj(i -> bind()).toList();
        try {
            return held.stream().map(ServerSocket::getLocalPort).collect(Collectors.toList());
        } finally {
            for (ServerSocket s : held) {
                s.close();
            }
        }
    }

    private static ServerSocket bind() {
        try {
            return new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
