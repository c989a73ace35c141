package dev.drydock.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.api.LeaseStatus;
import dev.drydock.core.Drydock;
import dev.drydock.core.internal.blueprint.BlueprintRegistry;
import dev.drydock.core.internal.engine.Engine;
import dev.drydock.core.internal.engine.Tasks;
import dev.drydock.core.internal.lease.LeaseEvents;
import dev.drydock.core.internal.store.LeaseRow;
import dev.drydock.core.internal.store.LeaseStore;
import dev.drydock.taskqueue.TaskQueue;
import dev.drydock.testing.LeakCheck;
import dev.drydock.testing.PostgresExtension;
import dev.drydock.testing.TestDatabase;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Releases that callers made at once and that went into one statement. */
@ExtendWith({PostgresExtension.class, LeakCheck.class})
@LeakCheck.Allowed(value = {LeakCheck.Leak.UNFINISHED_LEASES, LeakCheck.Leak.UNFINISHED_RESOURCES},
        reason = "tests the release statement alone, with no taskmaster to clean the released leases up")
class LeasesTest {
    @Test
    void aLeaseNamedTwiceInOneBatchIsReleasedByTheCallerWhoseTokenMatches(TestDatabase db) {
        Drydock.migrate(db.dataSource());
        Jdbi jdbi = Jdbi.create(db.dataSource());
        Leases leases = new Leases(new Engine(jdbi, new BlueprintRegistry(List.of()), new Tasks(TaskQueue.builder(db.dataSource()).build())),
                new LeaseEvents(db.dataSource()));
        LeaseRow a = jdbi.withHandle(h -> LeaseStore.insert(h, new LeaseStore.NewLease("token-a", "host", Map.of(), List.of(),
                Optional.empty(), 60_000), Tasks.updateLeaseTask("l.id")));
        LeaseRow b = jdbi.withHandle(h -> LeaseStore.insert(h, new LeaseStore.NewLease("token-b", "host", Map.of(), List.of(),
                Optional.empty(), 60_000), Tasks.updateLeaseTask("l.id")));

        // a stranger's release of lease a comes first in the batch; its holder's after it
        List<Optional<LeaseStatus>> outcomes = leases.releaseTogether(List.of(
                new LeaseStore.Release(a.id(), Optional.of("not-a's"), "by a stranger"),
                new LeaseStore.Release(b.id(), Optional.of("token-b"), "released by its holder"),
                new LeaseStore.Release(a.id(), Optional.of("token-a"), "released by its holder")));

        assertThat(outcomes).containsExactly(Optional.empty(), Optional.of(LeaseStatus.PENDING), Optional.of(LeaseStatus.PENDING));
        assertThat(db.queryLong("SELECT count(*) FROM dd_lease WHERE status = 'RELEASED' AND id IN (" + a.id() + ", " + b.id() + ")"))
                .isEqualTo(2);
        assertThat(db.queryLong("SELECT count(*) FROM dd_log WHERE lease_id = " + a.id()
                + " AND message = 'lease " + a.id() + " PENDING -> RELEASED: released by its holder'")).isEqualTo(1);
    }
}
