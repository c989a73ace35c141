package dev.drydock.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.drydock.api.DrydockException;
import dev.drydock.api.Lease;
import dev.drydock.blueprint.localhost.LocalHostBlueprint;
import dev.drydock.api.LeaseRequest;
import dev.drydock.api.LeaseStatus;
import dev.drydock.testing.Await;
import dev.drydock.testing.RestartablePostgres;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A holder's release that failed because the database was away is not taken for done: the same
 * handle releases the lease once the database is back, by {@code release()} or by {@code close()}.
 */
class ReleaseRetryTest {
    @Test
    void aReleaseThatFailedCanBeRetriedWithTheSameHandle() throws Exception {
        try (RestartablePostgres server = new RestartablePostgres(); HikariDataSource pool = server.pool();
             Drydock drydock = Drydock.builder(pool).register(new LocalHostBlueprint()).build()) {
            drydock.blueprints().create("hosts", "local-host", "{\"root\": \"/tmp/drydock-release-retry\"}", 1);
            Lease lease = drydock.allocator().acquire(LeaseRequest.builder("host").build()); // PENDING: no taskmaster runs

            server.stop();
            assertThatThrownBy(lease::release).as("the database is away").isInstanceOf(RuntimeException.class);
            server.start();
            // The pool may hand out a connection the restart broke before it notices: retry, as a holder would.
            Await.until("the release goes through once the database is back", Duration.ofSeconds(30), () -> {
                try {
                    lease.release();
                    return true;
                } catch (RuntimeException stillAway) {
                    return false;
                }
            });

            assertThat(status(server, lease.id())).isEqualTo(LeaseStatus.RELEASED.name());
        }
    }

    @Test
    void closeRetriesAReleaseThatFailed() throws Exception {
        try (RestartablePostgres server = new RestartablePostgres(); HikariDataSource pool = server.pool();
             Drydock drydock = Drydock.builder(pool).register(new LocalHostBlueprint()).build()) {
            drydock.blueprints().create("hosts", "local-host", "{\"root\": \"/tmp/drydock-release-retry\"}", 1);
            Lease lease = drydock.allocator().acquire(LeaseRequest.builder("host").build());

            server.stop();
            assertThatThrownBy(lease::release).as("the database is away").isInstanceOf(DrydockException.class);
            server.start();
            // What a try-with-resources block does on the way out: close() must not take the failed release for done.
            Await.until("close releases the lease once the database is back", Duration.ofSeconds(30), () -> {
                try {
                    lease.close();
                    return true;
                } catch (DrydockException stillAway) {
                    return false;
                }
            });

            assertThat(status(server, lease.id())).isEqualTo(LeaseStatus.RELEASED.name());
        }
    }

    // A connection of its own: the pool may still hold ones the restart broke.
    private static String status(RestartablePostgres server, long id) throws java.sql.SQLException {
        try (var c = java.sql.DriverManager.getConnection(server.jdbcUrl(), server.user(), server.password());
             var s = c.prepareStatement("SELECT status FROM dd_lease WHERE id = ?")) {
            s.setLong(1, id);
            try (var rs = s.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

}
