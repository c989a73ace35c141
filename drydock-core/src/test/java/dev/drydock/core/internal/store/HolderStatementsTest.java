package dev.drydock.core.internal.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drydock.api.LeaseStatus;
import dev.drydock.core.Drydock;
import dev.drydock.testing.LeakCheck;
import dev.drydock.testing.PostgresExtension;
import dev.drydock.testing.TestDatabase;
import dev.drydock.taskqueue.SqlEnqueue;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The holder's request and release, which run with JDBC directly (see {@code Jdbc}): what they
 * store and return, that a failed statement writes nothing and throws the store's usual exception,
 * and that they join the caller's transaction.
 */
@ExtendWith({PostgresExtension.class, LeakCheck.class})
@LeakCheck.Allowed(value = {LeakCheck.Leak.UNFINISHED_LEASES, LeakCheck.Leak.UNFINISHED_RESOURCES},
        reason = "tests the holder statements alone, with no taskmaster to allocate or clean up the leases they make")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HolderStatementsTest {
    private static final SqlEnqueue UPDATE = SqlEnqueue.of("holder-test.update", "json_build_object('id', l.id)")
            .newDedupeKey("'holder-test:' || l.id").serialKey("'holder-test:' || l.id");
    private static final SqlEnqueue CLEAN_UP = SqlEnqueue.of("holder-test.clean-up", "json_build_object('id', t.id)")
            .serialKey("'holder-test:' || t.id");
    private TestDatabase db;
    private Jdbi jdbi;

    @BeforeAll
    void migrate(TestDatabase db) {
        this.db = db;
        Drydock.builder(db.dataSource()).build().close();
        jdbi = Jdbi.create(db.dataSource());
    }

    @Test
    void aRequestStoresTheLeaseItsLogRowAndItsTask() {
        LeaseRow lease = jdbi.withHandle(h -> LeaseStore.insert(h, new LeaseStore.NewLease("token-1", "holder-host", Map.of("arch", "arm64"),
                List.of("one", "two"), Optional.of(60_000L), 5_000), UPDATE));

        assertThat(lease.status()).isEqualTo(LeaseStatus.PENDING);
        assertThat(lease.ownerToken()).isEqualTo("token-1");
        assertThat(lease.attributes()).isEqualTo(Map.of("arch", "arm64"));
        assertThat(lease.allowedBlueprints()).containsExactly("one", "two");
        assertThat(lease.ttlMs()).contains(60_000L);
        assertThat(lease.acquireDeadline()).isAfter(lease.createdAt());
        assertThat(db.queryLong("SELECT count(*) FROM dd_log WHERE lease_id = " + lease.id() + " AND message LIKE '%requested: holder-host%'"))
                .isEqualTo(1);
        assertThat(db.queryLong("SELECT count(*) FROM tq_task WHERE kind = 'holder-test.update' AND dedupe_key = 'holder-test:" + lease.id()
                + "' AND state = 'queued'")).isEqualTo(1);

        LeaseRow noTtl = jdbi.withHandle(h -> LeaseStore.insert(h, new LeaseStore.NewLease("token-2", "holder-host", Map.of(), List.of(), Optional.empty(), 5_000), UPDATE));
        assertThat(noTtl.ttlMs()).isEmpty();
        assertThat(noTtl.allowedBlueprints()).isEmpty();
    }

    @Test
    void aFailedRequestWritesNothingAndSaysWhy() {
        SqlEnqueue taken = SqlEnqueue.of("holder-test.update", "json_build_object('id', l.id)").newDedupeKey("'holder-test:taken'");
        // a queued task already holds the key the request's task would take: the statement fails whole
        jdbi.useHandle(h -> h.execute("INSERT INTO tq_task (kind, payload, state, max_attempts, backoff_ms, backoff_max_ms, dedupe_key)"
                + " VALUES ('holder-test.update', '{}', 'queued', 1, 0, 0, 'holder-test:taken')"));
        long leases = db.queryLong("SELECT count(*) FROM dd_lease");
        long logs = db.queryLong("SELECT count(*) FROM dd_log");

        assertThatThrownBy(() -> jdbi.withHandle(h -> LeaseStore.insert(h, new LeaseStore.NewLease("token-3", "holder-host", Map.of(), List.of(), Optional.empty(), 5_000),
                taken)))
                .isInstanceOf(UnableToExecuteStatementException.class)
                .hasMessageContaining("tq_task_dedupe")
                .cause().isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("23505"));
        assertThat(db.queryLong("SELECT count(*) FROM dd_lease")).isEqualTo(leases);
        assertThat(db.queryLong("SELECT count(*) FROM dd_log")).isEqualTo(logs);
    }

    @Test
    void onlyTheHolderOrAnOperatorReleases() {
        LeaseRow lease = jdbi.withHandle(h -> LeaseStore.insert(h, new LeaseStore.NewLease("token-4", "holder-host", Map.of(), List.of(), Optional.empty(), 5_000), UPDATE));

        assertThat(release(lease.id(), Optional.of("someone-else"), "taken")).isEmpty();
        assertThat(status(lease.id())).isEqualTo("PENDING");

        assertThat(release(lease.id(), Optional.of("token-4"), "done with it"))
                .contains(LeaseStatus.PENDING);
        assertThat(status(lease.id())).isEqualTo("RELEASED");
        assertThat(db.queryLong("SELECT count(*) FROM tq_task WHERE kind = 'holder-test.clean-up' AND serial_key = 'holder-test:"
                + lease.id() + "'")).isEqualTo(1);
        assertThat(release(lease.id(), Optional.empty(), "again"))
                .as("a released lease is not released twice").isEmpty();

        LeaseRow other = jdbi.withHandle(h -> LeaseStore.insert(h, new LeaseStore.NewLease("token-5", "holder-host", Map.of(), List.of(), Optional.empty(), 5_000), UPDATE));
        assertThat(release(other.id(), Optional.empty(), "by an operator"))
                .contains(LeaseStatus.PENDING);
    }

    @Test
    void aBatchOfRequestsStoresEachLeaseWithItsOwnLogRowAndTaskInTheirOrder() {
        List<LeaseStore.NewLease> asked = List.of(
                new LeaseStore.NewLease("batch-a", "holder-vm", Map.of("arch", "arm64"), List.of("one"), Optional.of(1_000L), 5_000),
                new LeaseStore.NewLease("batch-b", "holder-host", Map.of(), List.of(), Optional.empty(), 60_000),
                new LeaseStore.NewLease("batch-c", "holder-host", Map.of("zone", "b"), List.of("two", "three"), Optional.empty(), 5_000));

        List<LeaseRow> rows = jdbi.withHandle(h -> LeaseStore.insertAll(h, asked, UPDATE));

        assertThat(rows).extracting(LeaseRow::ownerToken).containsExactly("batch-a", "batch-b", "batch-c");
        assertThat(rows).extracting(LeaseRow::resourceType).containsExactly("holder-vm", "holder-host", "holder-host");
        assertThat(rows).extracting(LeaseRow::attributes).containsExactly(Map.of("arch", "arm64"), Map.of(), Map.of("zone", "b"));
        assertThat(rows).extracting(LeaseRow::allowedBlueprints).containsExactly(List.of("one"), List.of(), List.of("two", "three"));
        assertThat(rows).extracting(LeaseRow::ttlMs).containsExactly(Optional.of(1_000L), Optional.empty(), Optional.empty());
        assertThat(rows.get(1).acquireDeadline()).isAfter(rows.get(0).acquireDeadline().plusSeconds(50));
        for (LeaseRow row : rows) {
            assertThat(row.status()).isEqualTo(LeaseStatus.PENDING);
            assertThat(db.queryLong("SELECT count(*) FROM dd_log WHERE lease_id = " + row.id())).isEqualTo(1);
            assertThat(db.queryLong("SELECT count(*) FROM dd_log WHERE lease_id = " + row.id() + " AND message = 'lease " + row.id()
                    + " requested: " + row.resourceType() + (row.attributes().isEmpty() ? "" : " " + row.attributes()) + "'")).isEqualTo(1);
            assertThat(db.queryLong("SELECT count(*) FROM tq_task WHERE kind = 'holder-test.update' AND dedupe_key = 'holder-test:"
                    + row.id() + "' AND state = 'queued'")).isEqualTo(1);
        }
    }

    @Test
    void aBatchOfReleasesReleasesOnlyWhatEachCallerMayAndEachLeaseOnce() throws Exception {
        List<LeaseRow> leases = jdbi.withHandle(h -> LeaseStore.insertAll(h, List.of(
                new LeaseStore.NewLease("mine-a", "holder-host", Map.of(), List.of(), Optional.empty(), 5_000),
                new LeaseStore.NewLease("mine-b", "holder-host", Map.of(), List.of(), Optional.empty(), 5_000),
                new LeaseStore.NewLease("mine-c", "holder-host", Map.of(), List.of(), Optional.empty(), 5_000),
                new LeaseStore.NewLease("mine-d", "holder-host", Map.of(), List.of(), Optional.empty(), 5_000)), UPDATE));
        long a = leases.get(0).id();
        long b = leases.get(1).id();
        long c = leases.get(2).id();
        long d = leases.get(3).id();
        assertThat(release(d, Optional.empty(), "earlier")).isPresent();

        Map<Long, LeaseStatus> released;
        List<String> notified;
        try (Connection listener = db.connect(); Statement listen = listener.createStatement()) {
            listen.execute("LISTEN " + LeaseStore.CHANNEL);
            released = jdbi.withHandle(h -> LeaseStore.releaseAll(h, List.of(
                    new LeaseStore.Release(c, Optional.empty(), "by an operator"),
                    new LeaseStore.Release(a, Optional.of("mine-a"), "by its holder"),
                    new LeaseStore.Release(b, Optional.of("not-b's"), "by a stranger"),
                    new LeaseStore.Release(a, Optional.empty(), "twice"),
                    new LeaseStore.Release(d, Optional.empty(), "again")), CLEAN_UP));
            listen.execute("SELECT 1"); // delivers what was notified meanwhile
            notified = Arrays.stream(listener.unwrap(PGConnection.class).getNotifications()).map(PGNotification::getParameter).toList();
        }

        assertThat(released).isEqualTo(Map.of(a, LeaseStatus.PENDING, c, LeaseStatus.PENDING));
        assertThat(notified).containsExactlyInAnyOrder(a + ":RELEASED", c + ":RELEASED");
        assertThat(status(a)).isEqualTo("RELEASED");
        assertThat(status(b)).as("another holder's token releases nothing").isEqualTo("PENDING");
        assertThat(status(c)).isEqualTo("RELEASED");
        assertThat(db.queryLong("SELECT count(*) FROM dd_log WHERE lease_id = " + a + " AND message LIKE '%-> RELEASED%'")).isEqualTo(1);
        assertThat(db.queryLong("SELECT count(*) FROM dd_log WHERE lease_id = " + a
                + " AND message = 'lease " + a + " PENDING -> RELEASED: by its holder'")).isEqualTo(1);
        assertThat(db.queryLong("SELECT count(*) FROM dd_log WHERE lease_id = " + b + " AND message LIKE '%-> RELEASED%'")).isZero();
        assertThat(db.queryLong("SELECT count(*) FROM dd_log WHERE lease_id = " + d + " AND message LIKE '%-> RELEASED%'")).isEqualTo(1);
        for (long id : List.of(a, c, d)) {
            assertThat(db.queryLong("SELECT count(*) FROM tq_task WHERE kind = 'holder-test.clean-up' AND serial_key = 'holder-test:" + id + "'"))
                    .as("one clean-up queued for lease %d", id).isEqualTo(1);
        }
        assertThat(db.queryLong("SELECT count(*) FROM tq_task WHERE kind = 'holder-test.clean-up' AND serial_key = 'holder-test:" + b + "'"))
                .isZero();
    }

    @Test
    void theyJoinTheCallersTransaction() {
        LeaseRow lease = jdbi.withHandle(h -> LeaseStore.insert(h, new LeaseStore.NewLease("token-6", "holder-host", Map.of(), List.of(), Optional.empty(), 5_000), UPDATE));
        long leases = db.queryLong("SELECT count(*) FROM dd_lease");

        assertThatThrownBy(() -> jdbi.useTransaction(h -> {
            LeaseStore.insert(h, new LeaseStore.NewLease("token-7", "holder-host", Map.of(), List.of(), Optional.empty(), 5_000), UPDATE);
            assertThat(LeaseStore.release(h, new LeaseStore.Release(lease.id(), Optional.of("token-6"), "rolled back"), CLEAN_UP)).isPresent();
            throw new IllegalStateException("roll back");
        })).hasMessage("roll back");

        assertThat(db.queryLong("SELECT count(*) FROM dd_lease")).isEqualTo(leases);
        assertThat(status(lease.id())).isEqualTo("PENDING");
    }

    private Optional<LeaseStatus> release(long leaseId, Optional<String> token, String reason) {
        return jdbi.withHandle(h -> LeaseStore.release(h, new LeaseStore.Release(leaseId, token, reason), CLEAN_UP));
    }

    private String status(long leaseId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT status FROM dd_lease WHERE id = :id").bind("id", leaseId).mapTo(String.class).one());
    }
}
