package dev.drydock.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drydock.api.Command;
import dev.drydock.api.CommandInterface;
import dev.drydock.api.FilesystemInterface;
import dev.drydock.api.Lease;
import dev.drydock.api.LeaseRequest;
import dev.drydock.api.LeaseStatus;
import dev.drydock.api.NotLeaseHolderException;
import dev.drydock.testing.Await;
import dev.drydock.testing.LeakCheck;
import dev.drydock.testing.PostgresExtension;
import dev.drydock.testing.TestDatabase;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Only a lease's holder (its owner token) or a named operator may use or release it; an operator's
 * actions are written on the lease's log with the operator's name.
 */
@ExtendWith({PostgresExtension.class, LeakCheck.class})
class HolderCheckTest {
    private static DrydockFixture fx;

    @BeforeAll
    static void setUp(TestDatabase db) throws Exception {
        fx = new DrydockFixture(db);
        fx.drydock.blueprints().create("local", "local-host", fx.config(4), 1);
    }

    @AfterAll
    static void tearDown() {
        fx.close();
    }

    @Test
    void aWrongOwnerTokenCanNeitherUseNorReleaseTheLease() {
        Lease lease = active();
        Lease impostor = fx.drydock.allocator().attach(lease.id(), "not-the-token");

        assertThatThrownBy(() -> impostor.interfaceOf(CommandInterface.class))
                .isInstanceOfSatisfying(NotLeaseHolderException.class, e -> assertThat(e.leaseId()).isEqualTo(lease.id()))
                .hasMessageContaining("lease " + lease.id()).hasMessageContaining("operator");
        assertThatThrownBy(impostor::release).isInstanceOf(NotLeaseHolderException.class);
        assertThatThrownBy(impostor::release).as("a refused release can be tried again, and is refused again")
                .isInstanceOf(NotLeaseHolderException.class);

        assertThat(lease.info().status()).isEqualTo(LeaseStatus.ACTIVE);
        assertThat(lease.commandInterface().run(Command.of("true")).exitCode()).as("the holder still uses it").isZero();
        lease.release();
        Await.until("released", Duration.ofSeconds(30), () -> lease.info().status().isDone());
    }

    @Test
    void anOperatorActsOnAnyLeaseAndTheLogNamesThem() {
        Lease lease = active();

        fx.drydock.interfaceOf(lease.id(), FilesystemInterface.class, "alice (uid 1000)").write("by-operator.txt", new byte[] {1});
        fx.drydock.releaseLease(lease.id(), "alice (uid 1000)");

        Await.until("released", Duration.ofSeconds(30), () -> lease.info().status().isDone());
        assertThat(fx.drydock.logs(Optional.of(lease.id()), Optional.empty(), Optional.empty(), 0, 100))
                .extracting(LogEntry::message)
                .anySatisfy(m -> assertThat(m).contains("filesystem interface opened by operator alice (uid 1000)"))
                .anySatisfy(m -> assertThat(m).contains("-> RELEASED: released by operator alice (uid 1000)"));
    }

    @Test
    void theInstallationIdIsOneRandomIdPerDatabase() {
        String id = fx.drydock.installationId();

        assertThat(id).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
        assertThat(fx.drydock.installationId()).isEqualTo(id);
        Drydock.migrate(fx.db.dataSource());
        assertThat(fx.drydock.installationId()).as("migrating again keeps it").isEqualTo(id);
    }

    private static Lease active() {
        return fx.drydock.allocator().acquire(LeaseRequest.builder("host").blueprint("local").build()).await(Duration.ofSeconds(30));
    }
}
