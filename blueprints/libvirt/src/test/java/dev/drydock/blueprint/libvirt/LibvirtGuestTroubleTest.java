package dev.drydock.blueprint.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drydock.api.Command;
import dev.drydock.api.Lease;
import dev.drydock.api.LeaseBrokenException;
import dev.drydock.api.LeaseRequest;
import dev.drydock.api.LeaseStatus;
import dev.drydock.api.ResourceInfo;
import dev.drydock.api.ResourceStatus;
import dev.drydock.core.Drydock;
import dev.drydock.core.EngineCleanUp;
import dev.drydock.taskqueue.Taskmaster;
import dev.drydock.testing.Await;
import dev.drydock.testing.LeakCheck;
import dev.drydock.testing.LibvirtEnvironment;
import dev.drydock.testing.PostgresExtension;
import dev.drydock.testing.TestDatabase;
import dev.drydock.testing.Virsh;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real guests that go wrong, and what the holder is told. A guest whose sshd offers a host key
 * other than the one Drydock put in its seed is never logged in to: its build fails saying so, and
 * the waiting lease's reason carries it. A VM whose domain an operator destroys and undefines by
 * hand under an active lease is found by the health check: the resource breaks naming the domain,
 * the lease breaks with that reason, and the holder's next lease is served by a new VM.
 */
@ExtendWith({PostgresExtension.class, LeakCheck.class})
class LibvirtGuestTroubleTest {
    private static final Duration BOOT = Duration.ofMinutes(3);

    @RegisterExtension
    static final LibvirtEnvironment libvirt = new LibvirtEnvironment();

    @TempDir
    Path keys;
    private String pool;

    @BeforeEach
    void setUp() throws Exception {
        pool = libvirt.storagePool();
    }

    @AfterEach
    void tearDown() {
        libvirt.cleanUp();
    }

    @Test
    void aGuestOfferingAnotherHostKeyIsRefusedAndTheLeaseSaysWhy(TestDatabase db) throws Exception {
        String config = TestVms.config(pool, TestVms.loginKey(keys), TestVms.userMode(),
                LibvirtEnvironment.KERNEL_COMMAND_LINE + " drydock.hostkey=generate", "");
        try (Drydock drydock = Drydock.builder(db.dataSource()).register(new LibvirtHostBlueprint()).build();
             Taskmaster tm = drydock.taskmaster().threads(4).pollInterval(Duration.ofMillis(200)).build().start()) {
            drydock.blueprints().create("regenerating", LibvirtHostBlueprint.TYPE, config, 1);
            try (Lease lease = drydock.allocator().acquire(LeaseRequest.builder("host").blueprint("regenerating").acquireDeadline(BOOT).build())) {
                Await.until("the build refused the host key", BOOT, () -> lease.info().statusReason().contains("offered a host key"));
                assertThat(lease.info().status()).as("never served by that VM").isIn(LeaseStatus.PENDING, LeaseStatus.ACQUIRED);
                assertThat(lease.info().statusReason()).contains("other than the one Drydock put in its seed")
                        .contains("does not read the NoCloud seed's ssh_keys");
            }
            String installation = "drydock-" + drydock.installationId() + "-";
            Await.until("the refused VM is destroyed", BOOT, () -> Virsh.names(installation, "list", "--all", "--name").isEmpty());
            EngineCleanUp.destroyEverything(drydock);
            assertThat(Virsh.names(installation, "vol-list", pool)).as("volumes left").isEmpty();
            drydock.blueprints().delete("regenerating");
        }
    }

    @Test
    void aDomainDestroyedByHandBreaksItsResourceAndLeaseAndTheNextLeaseGetsANewVm(TestDatabase db) throws Exception {
        String config = TestVms.config(pool, TestVms.loginKey(keys), TestVms.userMode(), "\"healthCheckSeconds\": 1, ");
        try (Drydock drydock = Drydock.builder(db.dataSource()).register(new LibvirtHostBlueprint()).build();
             Taskmaster tm = drydock.taskmaster().threads(4).pollInterval(Duration.ofMillis(200)).build().start()) {
            drydock.blueprints().create("by-hand", LibvirtHostBlueprint.TYPE, config, 2);
            Lease first = drydock.allocator().acquire(LeaseRequest.builder("host").blueprint("by-hand").acquireDeadline(BOOT).build());
            first.await(BOOT);
            long broken = first.info().resourceId().orElseThrow();
            String domain = resource(drydock, broken).attributes().get("domain");
            // undefined first, so the check can never catch it between the two as merely shut off
            assertThat(Virsh.run("undefine", domain).succeeded()).isTrue();
            assertThat(Virsh.run("destroy", domain).succeeded()).isTrue();

            Await.until("the resource is broken", BOOT, () -> resource(drydock, broken).status() != ResourceStatus.ACTIVE);
            assertThat(resource(drydock, broken).statusReason()).contains("domain " + domain + " is no longer defined on "
                    + LibvirtEnvironment.URI + ": it was undefined outside Drydock");
            Await.until("the lease is broken", BOOT, () -> first.info().status() != LeaseStatus.ACTIVE);
            assertThat(first.info().statusReason()).contains("undefined outside Drydock");
            assertThatThrownBy(() -> first.await(Duration.ofSeconds(1))).isInstanceOf(LeaseBrokenException.class);
            first.release();

            try (Lease again = drydock.allocator().acquire(LeaseRequest.builder("host").blueprint("by-hand").acquireDeadline(BOOT).build())) {
                again.await(BOOT);
                assertThat(again.info().resourceId()).get().isNotEqualTo(broken);
                assertThat(again.commandInterface().run(Command.builder(List.of("uname", "-n")).build()).stdoutText())
                        .isEqualTo("drydock-" + again.info().resourceId().orElseThrow() + "\n");
            }
            String installation = "drydock-" + drydock.installationId() + "-";
            Await.until("every VM is destroyed", BOOT, () -> Virsh.names(installation, "list", "--all", "--name").isEmpty());
            EngineCleanUp.destroyEverything(drydock);
            assertThat(Virsh.names(installation, "vol-list", pool)).as("the broken VM's volumes too").isEmpty();
            drydock.blueprints().delete("by-hand");
        }
    }

    private static ResourceInfo resource(Drydock drydock, long id) {
        return drydock.resources().stream().filter(r -> r.id() == id).findFirst().orElseThrow();
    }
}
