package dev.drydock.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.api.Lease;
import dev.drydock.api.LeaseInfo;
import dev.drydock.api.LeaseRequest;
import dev.drydock.blueprint.localhost.LocalHostBlueprint;
import dev.drydock.taskqueue.Taskmaster;
import dev.drydock.testing.LeakCheck;
import dev.drydock.testing.PostgresExtension;
import dev.drydock.testing.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reads a console page makes without touching the history: a resource's leases and the
 * sub-leases it holds, the oldest waiting lease, and a lease's or blueprint's newest log rows paged backwards.
 */
@ExtendWith({PostgresExtension.class, LeakCheck.class})
class LiveReadsTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void aResourcesLeasesSubLeasesTheOldestWaiterAndTheNewestLogRows(TestDatabase db, @TempDir Path root) throws Exception {
        StackBlueprint stack = new StackBlueprint("stack-on-host", "stack");
        try (Drydock drydock = TestDrydocks.with(db, new LocalHostBlueprint(), stack); Taskmaster tm = TestDrydocks.taskmaster(drydock, 8)) {
            drydock.blueprints().create("hosts", "local-host", "{\"root\": \"" + root + "\", \"capacity\": 4}", 1);
            drydock.blueprints().create("stacks", stack.type(), "{\"baseType\": \"host\", \"capacity\": 1}", 1);
            assertThat(drydock.oldestWaiting()).isEmpty();

            Lease first = drydock.allocator().acquire(LeaseRequest.builder("stack").build());
            first.await(WAIT);
            long stackResource = first.info().resourceId().orElseThrow();
            long sub = db.queryLong("SELECT id FROM dd_lease WHERE owner_resource_id = " + stackResource);
            ResourceLeases ofStack = drydock.leasesOf(stackResource, 10);
            assertThat(ofStack.holding()).extracting(LeaseInfo::id).containsExactly(first.id());
            assertThat(ofStack.subLeases()).extracting(LeaseInfo::id).containsExactly(sub);
            long hostResource = drydock.allocator().find(sub).orElseThrow().resourceId().orElseThrow();
            assertThat(drydock.leasesOf(hostResource, 10).holding()).extracting(LeaseInfo::id).containsExactly(sub);

            Lease waiting = drydock.allocator().acquire(LeaseRequest.builder("stack").build()); // the stack is full and at its limit
            Lease later = drydock.allocator().acquire(LeaseRequest.builder("stack").build());
            assertThat(drydock.oldestWaiting().map(LeaseInfo::id)).contains(waiting.id());

            List<LogEntry> history = drydock.logs(Optional.of(first.id()), Optional.empty(), Optional.empty(), 0, 1000);
            List<LogEntry> newest = drydock.logsBefore(Optional.of(first.id()), Optional.empty(), Optional.empty(), Long.MAX_VALUE, 2);
            assertThat(newest).containsExactly(history.getLast(), history.get(history.size() - 2));
            assertThat(drydock.logsBefore(Optional.of(first.id()), Optional.empty(), Optional.empty(), newest.getLast().id(), 1000))
                    .as("the page before").containsExactlyElementsOf(history.subList(0, history.size() - 2).reversed());

            List<LogEntry> ofStacks = drydock.logs(Optional.empty(), Optional.empty(), Optional.of("stacks"), 0, 1000);
            assertThat(ofStacks).anySatisfy(e -> assertThat(e.resourceId()).contains(stackResource));
            List<Long> expected = new java.util.ArrayList<>();
            try (var c = db.connect(); var q = c.createStatement(); var rs = q.executeQuery("""
                    SELECT id FROM dd_log WHERE blueprint_id = (SELECT id FROM dd_blueprint WHERE name = 'stacks')
                       OR resource_id IN (SELECT r.id FROM dd_resource r JOIN dd_blueprint b ON b.id = r.blueprint_id WHERE b.name = 'stacks')
                    ORDER BY id""")) {
                while (rs.next()) {
                    expected.add(rs.getLong(1));
                }
            }
            assertThat(ofStacks).as("a blueprint's rows, oldest first, as one plain statement selects them")
                    .extracting(LogEntry::id).containsExactlyElementsOf(expected);
            assertThat(drydock.logs(Optional.empty(), Optional.empty(), Optional.of("stacks"), ofStacks.get(1).id(), 2))
                    .as("the page after a cursor").containsExactlyElementsOf(ofStacks.subList(2, 4));
            assertThat(drydock.logsBefore(Optional.empty(), Optional.empty(), Optional.of("stacks"), Long.MAX_VALUE, 1000))
                    .as("a blueprint's rows, its own and its resources', newest first").containsExactlyElementsOf(ofStacks.reversed());
            assertThat(drydock.logsBefore(Optional.empty(), Optional.empty(), Optional.of("stacks"), Long.MAX_VALUE, 3))
                    .containsExactlyElementsOf(ofStacks.reversed().subList(0, 3));
            assertThat(drydock.logsBefore(Optional.empty(), Optional.empty(), Optional.of("no-such"), Long.MAX_VALUE, 10)).isEmpty();

            first.release();
            waiting.release();
            later.release();
            EngineCleanUp.destroyEverything(drydock);
        }
    }
}
