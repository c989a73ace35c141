package dev.drydock.core.internal.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.api.LeaseStatus;
import dev.drydock.api.ResourceStatus;
import dev.drydock.core.Drydock;
import dev.drydock.testing.PostgresExtension;
import dev.drydock.testing.TestDatabase;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The listing pages run on a plan made for their values, however often one connection runs them:
 * the server never caches them as prepared statements, whose generic plan would read the history
 * from its newest end for a rare blueprint or status (docs/architecture.md, HTTP API decision 7).
 * Each filter still selects what it names.
 */
@ExtendWith(PostgresExtension.class)
class ListingStatementsTest {
    @Test
    void pagesAreNeverServerPreparedAndFilterWhatTheyName(TestDatabase db) {
        Drydock.builder(db.dataSource()).build().close(); // migrates
        Jdbi jdbi = Jdbi.create(db.dataSource());
        long blueprint = jdbi.withHandle(h -> h.createQuery("""
                        INSERT INTO dd_blueprint (name, type, resource_type, config, resource_limit)
                        VALUES ('listed', 'local-host', 'host', '{}', 10) RETURNING id""").mapTo(Long.class).one());
        long resource = jdbi.withHandle(h -> h.createQuery("""
                        INSERT INTO dd_resource (blueprint_id, resource_type, status, status_reason, capacity)
                        VALUES (:b, 'host', 'ACTIVE', 'test', 1) RETURNING id""").bind("b", blueprint).mapTo(Long.class).one());
        long placed = jdbi.withHandle(h -> h.createQuery("""
                        INSERT INTO dd_lease (owner_token, resource_type, status, status_reason, resource_id, acquire_deadline)
                        VALUES ('t', 'host', 'DESTROYED', 'test', :r, now()) RETURNING id""").bind("r", resource).mapTo(Long.class).one());
        jdbi.useHandle(h -> h.execute("""
                INSERT INTO dd_lease (owner_token, resource_type, status, status_reason, acquire_deadline)
                VALUES ('t', 'host', 'PENDING', 'test', now())"""));
        Optional<Long[]> ofBlueprint = Optional.of(new Long[] {blueprint});

        // One connection, as a pool hands the same one to page after page.
        long prepared = jdbi.withHandle(h -> {
            for (int i = 0; i < 12; i++) {
                assertThat(LeaseStore.page(h, Optional.empty(), Optional.of("host"), ofBlueprint, Long.MAX_VALUE, 50))
                        .extracting(LeaseRow::id).containsExactly(placed);
                assertThat(LeaseStore.page(h, Optional.of(LeaseStatus.PENDING), Optional.empty(), ofBlueprint, Long.MAX_VALUE, 50)).isEmpty();
                assertThat(ResourceStore.page(h, Optional.of(ResourceStatus.ACTIVE), Optional.of("host"), ofBlueprint, Long.MAX_VALUE, 50))
                        .extracting(ResourceRow::id).containsExactly(resource);
                assertThat(ResourceStore.page(h, Optional.of(ResourceStatus.ACTIVE), Optional.empty(), Optional.empty(), resource, 50)).isEmpty();
            }
            return h.createQuery("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE 'SELECT % WHERE id < %'")
                    .mapTo(Long.class).one();
        });
        assertThat(prepared).as("pages prepared on the server (the driver does so from a statement's fifth run)").isZero();
    }
}
