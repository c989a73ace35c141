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
        drydock = Drydock.builder(db.dataSource()).register(blueprint).build();
        taskmaster = drydock.taskmaster().threads(8).pollInterval(Duration.ofMillis(100)).build().start();
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
    void twoLeasesServeTheirOwnDirectoriesOnTheirOwnPortsAndAReleaseStopsServingAndFreesItsPort() throws Exception {
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

        Lease third = acquire();
        Await.until("the third lease waits for a port", WAIT, () -> third.info().statusReason().contains("a free port: all 2 serve other leases"));
        assertThat(third.info().status()).as("it holds its share of the resource meanwhile").isEqualTo(LeaseStatus.ACQUIRED);

        first.release();
        assertThat(first.awaitEnded(WAIT).status()).isEqualTo(LeaseStatus.DESTROYED);
        assertThatThrownBy(() -> get(firstServer.uri())).as("nothing serves the released lease's port").isInstanceOf(ConnectException.class);
        assertThat(slotsOf(first)).as("its port was freed with its clean-up").isZero();

        HttpdInterface thirdServer = third.await(WAIT).httpdInterface();
        assertThat(thirdServer.uri()).as("the port the release freed").isEqualTo(firstServer.uri());
        assertThat(get(thirdServer.uri())).isEqualTo("lease " + third.id() + "\n");
        assertThat(get(secondServer.uri())).as("the other lease still serves").isEqualTo("lease " + second.id() + "\n");
        second.release();
        third.release();
    }

    @Test
    void aRetriedAcquireKeepsItsPortAndTheServerItStartedAndAReloadKeepsServing() throws Exception {
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

        server.reload();
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

    private String config(List<Integer> ports, int capacity, boolean crashOnce) {
        return "{\"root\": \"" + root + "\", \"ports\": " + ports + ", \"capacity\": " + capacity + ", \"crashOnce\": " + crashOnce + "}";
    }

    /** The page at {@code uri}, which must answer 200. */
    private String get(URI uri) throws IOException, InterruptedException {
        assertThat(uri.getHost()).isEqualTo("127.0.0.1");
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(uri.toString()).isEqualTo(200);
        return response.body();
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
