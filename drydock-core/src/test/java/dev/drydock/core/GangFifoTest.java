package dev.drydock.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.api.Gang;
import dev.drydock.api.GangStatus;
import dev.drydock.api.Lease;
import dev.drydock.api.LeaseRequest;
import dev.drydock.api.LeaseStatus;
import dev.drydock.taskqueue.Taskmaster;
import dev.drydock.testing.Await;
import dev.drydock.testing.LeakCheck;
import dev.drydock.testing.PostgresExtension;
import dev.drydock.testing.ScriptedBlueprint;
import dev.drydock.testing.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * FIFO admission per blueprint (docs/planner.md, "Admission"): a head gang is not starved by a
 * stream of younger single leases, a younger single backfills where the room left covers the head
 * gang's need and waits where it would not, and a gang's members may differ in type.
 */
@ExtendWith({PostgresExtension.class, LeakCheck.class})
class GangFifoTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final ScriptedBlueprint hosts = new ScriptedBlueprint("scripted", "host");
    private final ScriptedBlueprint disks = new ScriptedBlueprint("scripted-disk", "disk");
    private TestDatabase db;
    private Drydock drydock;
    private Taskmaster taskmaster;
    private GangInvariants invariants;

    @BeforeEach
    void start(TestDatabase db) {
        this.db = db;
        drydock = Drydock.builder(db.dataSource()).register(hosts).register(disks).build();
        taskmaster = drydock.taskmaster().threads(8).pollInterval(Duration.ofMillis(100)).build().start();
        invariants = new GangInvariants(db);
    }

    @AfterEach
    void destroyEverything() throws InterruptedException {
        hosts.close();
        disks.close();
        invariants.endEverything(drydock, taskmaster);
    }

    @Test
    void aHeadGangIsNotStarvedByAStreamOfSingles() throws Exception {
        String busy = "busy-" + System.nanoTime();
        drydock.blueprints().create(busy, "scripted", "{\"capacity\": 2}", 2);
        LeaseRequest host = LeaseRequest.builder("host").blueprint(busy).build();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger served = new AtomicInteger();
        List<Thread> holders = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            holders.add(Thread.ofPlatform().start(() -> {
                while (!stop.get()) {
                    try (Lease lease = drydock.allocator().acquire(host)) {
                        lease.await(Duration.ofSeconds(60));
                        served.incrementAndGet();
                        Thread.sleep(100);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }));
        }
        Await.until("the singles hold every place", WAIT, () -> db.queryLong("SELECT coalesce(sum(active_leases), 0) FROM dd_resource") == 4);

        Gang gang = drydock.allocator().acquireAll(Collections.nCopies(3, host));
        try {
            gang.await(WAIT);
            assertThat(gang.info().status()).isEqualTo(GangStatus.ACTIVE);
        } finally {
            gang.release();
            stop.set(true);
            for (Thread t : holders) {
                t.join();
            }
        }
        assertThat(served.get()).as("singles served while the test ran").isGreaterThan(4);
    }

    @Test
    void aYoungerSingleBackfillsOnlyTheRoomBeyondTheHeadGangsNeedAndMembersMayDifferInType() {
        String hostsName = "hosts-" + System.nanoTime();
        drydock.blueprints().create(hostsName, "scripted", "{\"capacity\": 1}", 3);
        LeaseRequest host = LeaseRequest.builder("host").blueprint(hostsName).build();
        drydock.blueprints().create("disks-" + System.nanoTime(), "scripted-disk", "{\"capacity\": 1}", 1);
        Lease disk = drydock.allocator().acquire(LeaseRequest.builder("disk").build()).await(WAIT);

        // a host and a disk together: the host would fit, the disk does not while the single holds it
        Gang gang = drydock.allocator().acquireAll(List.of(host, LeaseRequest.builder("disk").build()));
        Await.until("the gang waits for the disk", WAIT, () -> gang.info().statusReason().contains("waiting for room for all 2 members"));
        assertThat(gang.info().members()).extracting(m -> m.resourceType()).containsExactly("host", "disk");

        // 3 hosts of room, the gang needs 1: two younger singles backfill, the third would eat the gang's room
        Lease first = drydock.allocator().acquire(host).await(WAIT);
        Lease second = drydock.allocator().acquire(host).await(WAIT);
        Lease third = drydock.allocator().acquire(host);
        Await.until("the third single waits behind the gang", WAIT, () -> third.info().statusReason().contains("an older gang waits for room"));
        assertThat(third.info().status()).isEqualTo(LeaseStatus.PENDING);
        assertThat(gang.info().status()).isEqualTo(GangStatus.WAITING);

        disk.release();
        gang.await(WAIT);
        assertThat(gang.info().members()).extracting(m -> m.status()).containsOnly(LeaseStatus.ACTIVE);
        assertThat(third.info().status()).as("the third single still waits: the gang took the last host").isEqualTo(LeaseStatus.PENDING);

        gang.release();
        third.await(WAIT);
        first.release();
        second.release();
        third.release();
    }
}
