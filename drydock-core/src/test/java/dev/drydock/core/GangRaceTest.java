package dev.drydock.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.api.Gang;
import dev.drydock.api.GangStatus;
import dev.drydock.api.Lease;
import dev.drydock.api.LeaseRequest;
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
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The all-or-nothing reservation under contention: in each round two gangs of three and two single
 * leases race for the last places of a blueprint that has room for six leases, and some gangs are
 * released by their holders while they wait. Whatever interleaving the rounds hit, the invariants
 * polled in SQL hold (no gang partly active, limit and capacity never exceeded), every request is
 * served or cancelled, nothing deadlocks, and nothing is left behind.
 */
@ExtendWith({PostgresExtension.class, LeakCheck.class})
class GangRaceTest {
    private static final int ROUNDS = 50;
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void twoGangsAndSinglesRacingForTheLastPlacesNeverPartlyActivateOrOverfill(TestDatabase db) throws Exception {
        ScriptedBlueprint blueprint = new ScriptedBlueprint();
        Drydock drydock = Drydock.builder(db.dataSource()).register(blueprint).build();
        Taskmaster taskmaster = drydock.taskmaster().threads(8).pollInterval(Duration.ofMillis(100)).build().start();
        List<Gang> gangs = new ArrayList<>();
        int cancelled = 0;
        try (GangInvariants invariants = new GangInvariants(db)) {
            drydock.blueprints().create("race-" + System.nanoTime(), "scripted", "{\"capacity\": 2}", 3);
            LeaseRequest one = LeaseRequest.builder("scripted").build();
            ExecutorService pool = Executors.newFixedThreadPool(4);
            for (int round = 0; round < ROUNDS; round++) {
                CountDownLatch go = new CountDownLatch(1);
                boolean cancelOne = round % 4 == 0;
                List<Callable<Gang>> work = new ArrayList<>();
                for (int g = 0; g < 2; g++) {
                    boolean cancel = cancelOne && g == 0;
                    work.add(() -> {
                        go.await();
                        Gang gang = drydock.allocator().acquireAll(Collections.nCopies(3, one));
                        if (cancel) {
                            Thread.sleep(ThreadLocalRandom.current().nextInt(0, 20));
                        } else {
                            gang.await(WAIT);
                            Thread.sleep(ThreadLocalRandom.current().nextInt(0, 20));
                        }
                        gang.release();
                        return gang;
                    });
                }
                for (int s = 0; s < 2; s++) {
                    work.add(() -> {
                        go.await();
                        try (Lease lease = drydock.allocator().acquire(one)) {
                            lease.await(WAIT);
                            Thread.sleep(ThreadLocalRandom.current().nextInt(0, 20));
                        }
                        return null;
                    });
                }
                List<Future<Gang>> done = new ArrayList<>();
                for (Callable<Gang> w : work) {
                    done.add(pool.submit(w));
                }
                go.countDown();
                for (Future<Gang> f : done) {
                    Gang gang = f.get();
                    if (gang != null) {
                        gangs.add(gang);
                    }
                }
                cancelled += cancelOne ? 1 : 0;
            }
            pool.shutdown();
            Await.until("every lease destroyed", WAIT, () -> db.queryLong("SELECT count(*) FROM dd_lease WHERE status <> 'DESTROYED'") == 0);
            invariants.awaitGangsOver();
            assertThat(invariants.violations()).as("invariants broken during the race").isEmpty();
            assertThat(invariants.polls()).isPositive();
        } finally {
            blueprint.close();
            try {
                EngineCleanUp.destroyEverything(drydock);
            } finally {
                taskmaster.close();
                drydock.close();
            }
        }
        long ended = gangs.stream().filter(g -> g.info().status() == GangStatus.ENDED).count();
        assertThat(ended).as("gangs that were active").isGreaterThanOrEqualTo(gangs.size() - cancelled);
        assertThat(db.queryLong("SELECT count(*) FROM dd_gang WHERE status = 'BROKEN' AND status_reason NOT LIKE '%was released before the gang was active%'"))
                .as("gangs broken for anything but their holder's release").isZero();
    }
}
