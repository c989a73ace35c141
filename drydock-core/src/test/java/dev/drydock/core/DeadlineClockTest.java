package dev.drydock.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drydock.api.Lease;
import dev.drydock.api.LeaseBrokenException;
import dev.drydock.api.LeaseRequest;
import dev.drydock.api.LeaseStatus;
import dev.drydock.testing.PostgresExtension;
import dev.drydock.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Acquire deadlines are set from the database's clock and judged by it, whatever the clock of the
 * process that allocates. The database's {@code now()} is made to differ from this JVM's by an hour:
 * a function {@code public.now()} found before {@code pg_catalog}'s on the database's search path adds
 * a skew kept in a table, so every statement of every process sees the same, skewed, database clock.
 */
@ExtendWith(PostgresExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class) // tasks queued under one skew must not wait out a later one
class DeadlineClockTest {
    @TempDir
    static Path temp;

    private static DrydockFixture fx;

    @BeforeAll
    static void setUp(TestDatabase db) throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE public.test_clock_skew (skew interval NOT NULL)");
            s.execute("INSERT INTO public.test_clock_skew VALUES (interval '0')");
            s.execute("CREATE FUNCTION public.now() RETURNS timestamptz LANGUAGE sql STABLE"
                    + " AS $$ SELECT pg_catalog.now() + (SELECT skew FROM public.test_clock_skew) $$");
            s.execute("ALTER DATABASE \"" + db.name() + "\" SET search_path = public, pg_catalog");
        }
        fx = new DrydockFixture(db); // its connections are opened after: they see the skewed clock
        fx.drydock.blueprints().create("local", "local-host", fx.config(4), 1);
        Path none = Files.createTempDirectory(temp, "drydock-none");
        fx.drydock.blueprints().create("none", "local-host", "{\"root\": \"" + none + "\"}", 0);
    }

    @AfterAll
    static void tearDown() {
        fx.close();
    }

    @Test
    @Order(1)
    void aDatabaseClockBehindTheAllocatorsDoesNotBreakALeaseBeforeItsDeadline() {
        skew("-1 hour");
        assertThat(fx.count("SELECT CASE WHEN now() < pg_catalog.now() - interval '59 minutes' THEN 1 ELSE 0 END"))
                .as("the database's clock is an hour behind").isOne();

        Lease lease = fx.drydock.allocator().acquire(LeaseRequest.builder("host").blueprint("local")
                .acquireDeadline(Duration.ofMinutes(10)).build());

        // By this JVM's clock the deadline passed 50 minutes ago; by the database's it is 10 minutes away.
        assertThat(lease.await(Duration.ofSeconds(30)).info().status()).isEqualTo(LeaseStatus.ACTIVE);
        lease.release();
        lease.awaitEnded(Duration.ofSeconds(30));
    }

    @Test
    @Order(2)
    void aDatabaseClockAheadOfTheAllocatorsBreaksALeaseAtItsDeadline() {
        skew("1 hour");
        Lease lease = fx.drydock.allocator().acquire(LeaseRequest.builder("host").blueprint("none")
                .acquireDeadline(Duration.ofSeconds(2)).build());

        // By this JVM's clock the deadline is an hour away; by the database's it passes in 2 seconds.
        assertThatThrownBy(() -> lease.await(Duration.ofSeconds(60))).isInstanceOf(LeaseBrokenException.class)
                .hasMessageContaining("acquire deadline");
        assertThat(fx.count("SELECT count(*) FROM dd_lease WHERE id = " + lease.id()
                + " AND status IN ('BROKEN', 'DESTROYED') AND acquire_deadline <= now()"))
                .as("broken, and only once its deadline had passed by the database's clock").isOne();
    }

    private static void skew(String interval) {
        fx.count("WITH u AS (UPDATE public.test_clock_skew SET skew = interval '" + interval + "' RETURNING 1) SELECT count(*) FROM u");
    }
}
