package dev.drydock.core.internal.lease;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.core.internal.store.LeaseStore;
import dev.drydock.testing.PostgresExtension;
import dev.drydock.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every thread waiting on a lease is woken by a change of it, by the database's notification: a
 * waiter tells a wake-up by a change ({@code true}) from the poll interval running out ({@code false}),
 * so these tests see which one ended a wait instead of timing it.
 */
@ExtendWith(PostgresExtension.class)
class LeaseEventsTest {
    private static TestDatabase db;
    private static LeaseEvents events;

    @BeforeAll
    static void setUp(TestDatabase database) {
        db = database;
        events = new LeaseEvents(db.dataSource());
    }

    @AfterAll
    static void tearDown() {
        events.close();
    }

    @Test
    void twoThreadsWaitingOnOneLeaseAreBothWokenByOneChange() throws Exception {
        long lease = 1_001;
        LeaseEvents.Subscription first = events.subscribe(lease);
        LeaseEvents.Subscription second = events.subscribe(lease);

        CompletableFuture<Boolean> firstWoken = CompletableFuture.supplyAsync(() -> wokenByAChange(first));
        CompletableFuture<Boolean> secondWoken = CompletableFuture.supplyAsync(() -> wokenByAChange(second));
        announce(lease + ":ACTIVE"); // one change, one notification

        assertThat(firstWoken.get(60, TimeUnit.SECONDS)).as("the first waiter was woken by the change").isTrue();
        assertThat(secondWoken.get(60, TimeUnit.SECONDS)).as("the second waiter was woken by the same change").isTrue();
        first.close();
        second.close();
    }

    @Test
    void aWaiterThatStopsWaitingLeavesTheOthersListening() throws Exception {
        long lease = 1_002;
        LeaseEvents.Subscription leaving = events.subscribe(lease);
        LeaseEvents.Subscription staying = events.subscribe(lease);
        leaving.close();
        leaving.close(); // idempotent: must not unsubscribe the other one

        announce(lease + ":BROKEN");

        assertThat(CompletableFuture.supplyAsync(() -> wokenByAChange(staying)).get(60, TimeUnit.SECONDS))
                .as("the remaining waiter was woken by the change, not left to the poll").isTrue();
        staying.close();
    }

    @Test
    void aChangeAnnouncedBeforeTheWaiterSubscribedStillWakesIt() throws Exception {
        long lease = 1_003;
        try (LeaseEvents.Subscription earlier = events.subscribe(lease)) {
            announce(lease + ":ACTIVE");
            assertThat(wokenByAChange(earlier)).isTrue(); // the notification has arrived by now
        }
        try (LeaseEvents.Subscription later = events.subscribe(lease)) {
            assertThat(later.awaitChange(Duration.ZERO)).as("a change just before subscribing counts at once").isTrue();
        }
    }

    /** Waits up to about a minute, poll after poll; true once a wait ended by a change. */
    private static boolean wokenByAChange(LeaseEvents.Subscription subscription) {
        try {
            for (int i = 0; i < 60; i++) {
                if (subscription.awaitChange(Duration.ofMinutes(1))) {
                    return true;
                }
            }
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static void announce(String payload) throws Exception {
        try (Connection c = db.connect(); PreparedStatement s = c.prepareStatement("SELECT pg_notify(?, ?)")) {
            s.setString(1, LeaseStore.CHANNEL);
            s.setString(2, payload);
            s.execute();
        }
    }
}
