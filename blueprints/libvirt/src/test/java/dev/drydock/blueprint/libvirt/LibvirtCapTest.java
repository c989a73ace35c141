package dev.drydock.blueprint.libvirt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.api.Command;
import dev.drydock.api.CommandResult;
import dev.drydock.api.Lease;
import dev.drydock.api.LeaseRequest;
import dev.drydock.core.Drydock;
import dev.drydock.core.EngineCleanUp;
import dev.drydock.taskqueue.Taskmaster;
import dev.drydock.testing.Await;
import dev.drydock.testing.LeakCheck;
import dev.drydock.testing.LibvirtDomainCensus;
import dev.drydock.testing.LibvirtEnvironment;
import dev.drydock.testing.PostgresExtension;
import dev.drydock.testing.TestDatabase;
import dev.drydock.testing.Virsh;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine's limit holds on a real hypervisor: 6 leases at once against a libvirt-host blueprint
 * with limit 3 and capacity 2 never have more than 3 of the blueprint's domains in libvirt (libvirt's
 * own listing, running or only defined, sampled every 100 ms) nor more than 2 active leases on one
 * VM (the lease rows, sampled), every lease is served and runs a command in its VM, and once they
 * are released the idle VMs are destroyed leaving no domain and no volume, every resource row
 * DESTROYED.
 */
@ExtendWith({PostgresExtension.class, LeakCheck.class})
class LibvirtCapTest {
    private static final int LEASES = 6;
    private static final int LIMIT = 3;
    private static final int CAPACITY = 2;
    private static final String BLUEPRINT = "capped-vms";
    /** Boots take 10–40 s here and the three share two cores with whatever else runs. */
    private static final Duration WAIT = Duration.ofMinutes(6);

    @RegisterExtension
    static final LibvirtEnvironment libvirt = new LibvirtEnvironment();

    @AfterEach
    void tearDown() {
        libvirt.cleanUp();
    }

    @Test
    void sixLeasesAgainstLimitThreeAndCapacityTwoNeverOvershootOnTheHypervisor(TestDatabase db, @TempDir Path keys) throws Exception {
        String pool = libvirt.storagePool();
        // keepIdleMinutes 0 (TestVms): every lease is held until all six are served (below), so no VM
        // falls idle while a lease still waits, and idle destruction at the end waits for no timer.
        String config = TestVms.config(pool, TestVms.loginKey(keys), TestVms.userMode(),
                "\"capacity\": " + CAPACITY + ", \"bootTimeoutSeconds\": 600, ");

        try (Drydock drydock = Drydock.builder(db.dataSource()).register(new LibvirtHostBlueprint()).build();
             Taskmaster tm = drydock.taskmaster().threads(6).pollInterval(Duration.ofMillis(200)).build().start()) {
            drydock.blueprints().create(BLUEPRINT, LibvirtHostBlueprint.TYPE, config, LIMIT);
            String ours = Names.prefix(strings(db, "SELECT id::text FROM dd_installation").getFirst()); // every name of its VMs starts so
            try {
                sixLeasesAtOnce(db, drydock, ours, pool);
            } finally {
                EngineCleanUp.destroyEverything(drydock); // also when an assertion failed: no VM outlives the test
            }
            drydock.blueprints().delete(BLUEPRINT);
        }
    }

    private static void sixLeasesAtOnce(TestDatabase db, Drydock drydock, String ours, String pool) throws Exception {
        AtomicInteger mostLeasesOnOne = new AtomicInteger();
        ScheduledExecutorService leaseSampler = Executors.newSingleThreadScheduledExecutor();
        ExecutorService clients = Executors.newFixedThreadPool(LEASES);
        CountDownLatch served = new CountDownLatch(LEASES);
        List<String> unames = new ArrayList<>();
        try (LibvirtDomainCensus domains = LibvirtDomainCensus.start(ours, 100)) {
            leaseSampler.scheduleWithFixedDelay(() -> mostLeasesOnOne.accumulateAndGet((int) db.queryLong(
                    "SELECT coalesce(max(n), 0) FROM (SELECT count(*) AS n FROM dd_lease WHERE status = 'ACTIVE' GROUP BY resource_id) c"),
                    Math::max), 0, 100, TimeUnit.MILLISECONDS);
            List<Future<String>> done = new ArrayList<>();
            for (int i = 0; i < LEASES; i++) {
                done.add(clients.submit(() -> {
                    boolean counted = false;
                    try (Lease lease = drydock.allocator().acquire(LeaseRequest.builder("host").blueprint(BLUEPRINT).acquireDeadline(WAIT).build())) {
                        lease.await(WAIT);
                        CommandResult uname = lease.commandInterface().run(Command.builder(List.of("uname", "-n")).build());
                        served.countDown();
                        counted = true;
                        // held until all are served: the six overlap, two to a VM at most
                        served.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                        return uname.stdoutText().strip();
                    } finally {
                        if (!counted) {
                            served.countDown(); // a lease that failed does not keep the others waiting for it
                        }
                    }
                }));
            }
            for (Future<String> f : done) {
                unames.add(f.get(WAIT.toMinutes() * 2, TimeUnit.MINUTES));
            }
            Await.until("every VM destroyed once idle", WAIT, () -> db.queryLong(
                    "SELECT count(*) FROM dd_resource WHERE status <> 'DESTROYED'") == 0);
            leaseSampler.shutdownNow();
            domains.close();

            List<String> resources = strings(db, "SELECT 'resource ' || id || ' ' || status || ': ' || status_reason FROM dd_resource ORDER BY id");
            long boots = LibvirtDomainCensus.starts(ours);
            System.out.printf("LibvirtCapTest: %d resources, %d boots, at most %d domains and %d leases on one VM (%d samples)%n",
                    resources.size(), boots, domains.mostAtOnce(), mostLeasesOnOne.get(), domains.samples());
            assertThat(domains.samples()).as("libvirt listings taken").isPositive();
            assertThat(domains.errors()).as("libvirt listings that failed").isEmpty();
            assertThat(domains.mostAtOnce()).as("the blueprint's domains at once, as libvirt lists them").isPositive().isLessThanOrEqualTo(LIMIT);
            assertThat(mostLeasesOnOne.get()).as("active leases on one VM at once").isPositive().isLessThanOrEqualTo(CAPACITY);
            assertThat(unames).as("each lease ran uname -n in a VM of the blueprint").hasSize(LEASES)
                    .allSatisfy(name -> assertThat(name).matches("drydock-\\d+"));
            assertThat(db.queryLong("SELECT count(*) FROM dd_lease WHERE activated_at IS NOT NULL")).as("leases served").isEqualTo(LEASES);
            assertThat(resources).as("every resource destroyed").allSatisfy(r -> assertThat(r).contains(" DESTROYED"));
        } finally {
            leaseSampler.shutdownNow();
            clients.shutdownNow();
        }
        assertThat(Virsh.names(ours, "list", "--all", "--name")).as("domains of this installation left once idle").isEmpty();
        assertThat(Virsh.names(ours, "vol-list", pool)).as("volumes of this installation left once idle").isEmpty();
    }

    private static List<String> strings(TestDatabase db, String sql) throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            List<String> values = new ArrayList<>();
            while (rs.next()) {
                values.add(rs.getString(1));
            }
            return values;
        }
    }
}
