package dev.drydock.core.internal.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.core.Drydock;
import dev.drydock.testing.Await;
import dev.drydock.testing.LeakCheck;
import dev.drydock.testing.PostgresExtension;
import dev.drydock.testing.TestDatabase;
import java.time.Duration;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The taskmaster analyzes the lease table when it has doubled since the planner counted it, and
 * not otherwise: counted by {@code pg_stat_user_tables.analyze_count}, which autovacuum's own
 * analyses do not touch.
 */
@ExtendWith({PostgresExtension.class, LeakCheck.class})
class GrowthAnalyzerTest {

    @Test
    void aTableThatDoubledIsAnalyzedOnceAndThePlannerCountsItsRows(TestDatabase db) {
        Drydock.builder(db.dataSource()).build().close(); // migrates
        Jdbi jdbi = Jdbi.create(db.dataSource());
        jdbi.useHandle(h -> h.execute("ANALYZE dd_lease"));
        long counted = Math.max(0, (long) reltuples(jdbi));
        long rows = Math.max(2 * counted, GrowthAnalyzer.FLOOR) + 500;
        long highest = jdbi.withHandle(h -> h.createQuery("""
                        WITH l AS (INSERT INTO dd_lease (owner_token, resource_type, status, status_reason, acquire_deadline)
                                   SELECT 'token', 'growth', 'DESTROYED', 'test', now() FROM generate_series(1, :rows) RETURNING id)
                        SELECT max(id) FROM l""")
                .bind("rows", rows).mapTo(Long.class).one());
        Await.until("the statistics to count what was there before", Duration.ofSeconds(10),
                () -> analyzeCount(jdbi) >= 1);
        long before = analyzeCount(jdbi);
        GrowthAnalyzer growth = new GrowthAnalyzer(jdbi);

        growth.seen(GrowthAnalyzer.FLOOR - 1);
        growth.seen(highest);

        Await.until("dd_lease analyzed", Duration.ofSeconds(10), () -> analyzeCount(jdbi) == before + 1);
        assertThat(reltuples(jdbi)).as("the planner's count").isGreaterThanOrEqualTo(counted + rows);
        growth.seen(highest + 10); // not doubled since
        growth.seen(highest + 20);
        sleepPastTheStatisticsFlush();
        assertThat(analyzeCount(jdbi)).as("no second analysis before the ids double again").isEqualTo(before + 1);
    }

    @Test
    void aTableTheStatisticsAlreadyCountIsLeftAlone(TestDatabase db) {
        Drydock.builder(db.dataSource()).build().close();
        Jdbi jdbi = Jdbi.create(db.dataSource());
        long highest = jdbi.withHandle(h -> h.createQuery("""
                        WITH l AS (INSERT INTO dd_lease (owner_token, resource_type, status, status_reason, acquire_deadline)
                                   SELECT 'token', 'counted', 'DESTROYED', 'test', now() FROM generate_series(1, 2000) RETURNING id)
                        SELECT max(id) FROM l""").mapTo(Long.class).one());
        jdbi.useHandle(h -> h.execute("ANALYZE dd_lease"));
        Await.until("the analysis counted", Duration.ofSeconds(10), () -> analyzeCount(jdbi) >= 1);
        long before = analyzeCount(jdbi);

        new GrowthAnalyzer(jdbi).seen(highest);

        sleepPastTheStatisticsFlush();
        assertThat(analyzeCount(jdbi)).isEqualTo(before);
    }

    private static double reltuples(Jdbi jdbi) {
        return jdbi.withHandle(h -> h.createQuery("SELECT reltuples FROM pg_class WHERE oid = 'dd_lease'::regclass")
                .mapTo(Double.class).one());
    }

    private static long analyzeCount(Jdbi jdbi) {
        return jdbi.withHandle(h -> h.createQuery("SELECT analyze_count FROM pg_stat_user_tables WHERE relname = 'dd_lease'")
                .mapTo(Long.class).one());
    }

    /** Backends publish their table statistics within a second of a transaction's end. */
    private static void sleepPastTheStatisticsFlush() {
        try {
            Thread.sleep(1_500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
