package dev.drydock.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.api.Lease;
import dev.drydock.api.LeaseRequest;
import dev.drydock.api.spi.LeaseContext;
import dev.drydock.api.spi.Progress;
import dev.drydock.api.spi.ResourceContext;
import dev.drydock.taskqueue.Taskmaster;
import dev.drydock.testing.Await;
import dev.drydock.testing.PostgresExtension;
import dev.drydock.testing.TestDatabase;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A lease requested or released in the JVM of a taskmaster on the same data source reaches it
 * without the database's notification: the request's and the release's statements queue their
 * tasks in SQL, and the engine rings the local taskmasters once they commit. The taskmaster here
 * polls and renews only every few minutes, its janitors are removed, and the server process behind
 * its notification connection is stopped (SIGSTOP), so only the ring can wake it; a lease requested
 * through another Drydock instance (as by another process) shows that path is really cut.
 */
@ExtendWith(PostgresExtension.class)
class LocalRingTest {
    private static final Duration NEVER_POLLS = Duration.ofMinutes(5);
    /** The taskmaster's notification connection holds its presence lock (taskqueue V6, class 'ddtp'). */
    private static final String LISTENER = "SELECT l.pid FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
            + " WHERE l.locktype = 'advisory' AND l.classid = " + 0x64647470L + " AND l.objsubid = 2 AND l.granted"
            + " AND a.datname = current_database()";

    @Test
    void aLeaseRequestedAndReleasedHereIsServedThoughNoNotificationCanArrive(TestDatabase db) throws Exception {
        try (Drydock drydock = TestDrydocks.with(db, new Rings());
             Drydock elsewhere = Drydock.builder(otherDataSource(db)).register(new Rings()).build();
             Taskmaster taskmaster = drydock.taskmaster().threads(2).pollInterval(NEVER_POLLS).leaseDuration(NEVER_POLLS).build().start()) {
            drydock.blueprints().create("rings", Rings.TYPE, "{\"capacity\": 4}", 1);
            Lease first = drydock.allocator().acquire(request());
            first.await(Duration.ofSeconds(30)); // its build is queued by the engine in SQL too: served while the notifications flow
            db.execute("DELETE FROM tq_task WHERE kind LIKE 'drydock.%janitor%'");
            Await.until("the taskmaster to have nothing due", Duration.ofSeconds(10),
                    () -> db.queryLong("SELECT count(*) FROM tq_task WHERE state IN ('queued', 'running')") == 0);
            long listener = db.queryLong(LISTENER);
            signal("-STOP", listener);
            try {
                Lease fromElsewhere = elsewhere.allocator().acquire(request());
                Thread.sleep(1_000);
                assertThat(status(db, fromElsewhere)).as("a lease only a notification could announce waits").isEqualTo("PENDING");

                Lease here = drydock.allocator().acquire(request());

                assertThat(here.await(Duration.ofSeconds(10)).info().resourceId()).as("served on the idle resource").isPresent();
                first.release();
                Await.until("the released lease to be cleaned up", Duration.ofSeconds(10),
                        () -> "DESTROYED".equals(status(db, first)));
            } finally {
                signal("-CONT", listener);
            }
        }
    }

    /** A data source of its own, as another process has: the ring is per data source object. */
    private static PGSimpleDataSource otherDataSource(TestDatabase db) {
        PGSimpleDataSource other = new PGSimpleDataSource();
        other.setURL(db.jdbcUrl());
        other.setUser(db.user());
        other.setPassword(db.password());
        return other;
    }

    private static LeaseRequest request() {
        return LeaseRequest.builder(Rings.TYPE).blueprint("rings").build();
    }

    private static String status(TestDatabase db, Lease lease) {
        return db.queryText("SELECT status FROM dd_lease WHERE id = " + lease.id());
    }

    private static void signal(String signal, long pid) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", signal, Long.toString(pid)).inheritIO().start();
        assertThat(kill.waitFor()).as("kill %s %s", signal, pid).isZero();
    }

    private static final class Rings extends CapacityBlueprint {
        static final String TYPE = "ring-host";

        Rings() {
            super(TYPE, TYPE);
        }

        @Override
        public Progress acquireLease(Config config, ResourceContext resource, LeaseContext lease) {
            return Progress.done();
        }
    }
}
