package dev.drydock.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drydock.api.Command;
import dev.drydock.api.CommandResult;
import dev.drydock.api.InvalidRequestException;
import dev.drydock.api.Lease;
import dev.drydock.api.LeaseBrokenException;
import dev.drydock.api.LeaseRequest;
import dev.drydock.api.LeaseStatus;
import dev.drydock.api.ResourceStatus;
import dev.drydock.testing.Await;
import dev.drydock.testing.LeakCheck;
import dev.drydock.testing.PostgresExtension;
import dev.drydock.testing.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** A lease on a local host from request to destruction, and leases nobody can serve. */
@ExtendWith({PostgresExtension.class, LeakCheck.class})
class LeaseLifecycleTest {
    @TempDir
    static Path temp;

    private static DrydockFixture fx;

    @BeforeAll
    static void setUp(TestDatabase db) throws Exception {
        fx = new DrydockFixture(db);
        fx.drydock.blueprints().create("local", "local-host", fx.config(2), 2);
    }

    @AfterAll
    static void tearDown() {
        fx.close();
    }

    @Test
    void leaseRunsACommandMovesFilesAndIsCleanedUpOnRelease() {
        Lease lease = fx.drydock.allocator().acquire(LeaseRequest.builder("host").blueprint("local").build());
        lease.await(Duration.ofSeconds(30));

        CommandResult result = lease.commandInterface().run(Command.of("sh", "-c", "echo hello; pwd"));
        lease.filesystemInterface().write("notes/a.txt", "written".getBytes(StandardCharsets.UTF_8));
        String read = new String(lease.filesystemInterface().read("notes/a.txt"), StandardCharsets.UTF_8);
        Path leaseDir = Path.of(result.stdoutText().lines().toList().get(1));

        assertThat(result.exitCode()).isZero();
        assertThat(result.stdoutText()).startsWith("hello\n");
        assertThat(leaseDir).startsWith(fx.root).exists();
        assertThat(leaseDir.resolve("notes/a.txt")).hasContent("written");
        assertThat(read).isEqualTo("written");
        assertThat(lease.info().status()).isEqualTo(LeaseStatus.ACTIVE);
        assertThat(lease.info().blueprintName()).hasValue("local");
        assertThat(lease.info().leaseAttributes()).as("where the lease's files are").containsEntry("directory", leaseDir.toString());

        lease.release();

        Await.until("lease destroyed", Duration.ofSeconds(30), () -> lease.info().status() == LeaseStatus.DESTROYED);
        assertThat(leaseDir).doesNotExist();
        long resourceId = lease.info().resourceId().orElseThrow();
        assertThat(fx.drydock.resources()).filteredOn(r -> r.id() == resourceId).singleElement().satisfies(r -> {
            assertThat(r.status()).as("local-host keeps idle slots by default").isEqualTo(ResourceStatus.ACTIVE);
            assertThat(r.activeLeases()).isZero();
        });
        assertThat(fx.count("SELECT count(*) FROM dd_log WHERE lease_id = " + lease.id() + " AND message LIKE '%->%'"))
                .as("a log row per transition: PENDING->ACQUIRED->ACTIVE->RELEASED->DESTROYED").isEqualTo(4);
    }

    @Test
    void awaitIsWokenByTheActivationNotByTheOnceASecondPoll() {
        fx.drydock.allocator().acquire(LeaseRequest.builder("host").blueprint("local").build()).await(Duration.ofSeconds(30)).release();
        List<Long> awaitMillis = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            Lease lease = fx.drydock.allocator().acquire(LeaseRequest.builder("host").blueprint("local").build());
            if (i % 3 == 2) {
                sleep(50); // active before await registers: the change must still count
            }
            long start = System.nanoTime();
            lease.await(Duration.ofSeconds(30));
            awaitMillis.add((System.nanoTime() - start) / 1_000_000);
            assertThat(lease.info().status()).isEqualTo(LeaseStatus.ACTIVE);
            lease.release();
        }
        Collections.sort(awaitMillis);
        // a missed wake-up costs the whole poll interval (1 s); a delivered one a few milliseconds
        assertThat(awaitMillis.get(awaitMillis.size() / 2)).as("median await (ms) of %s", awaitMillis).isLessThan(400);
        assertThat(awaitMillis.get(awaitMillis.size() - 2)).as("second slowest await (ms) of %s", awaitMillis).isLessThan(900);
    }

    @Test
    void aWaitingLeaseReleasedByAnOperatorEndsItsHoldersAwaitAtOnce() throws Exception {
        Path fullRoot = Files.createTempDirectory(temp, "drydock-operator");
        fx.drydock.blueprints().create("none-left", "local-host", "{\"root\": \"" + fullRoot + "\", \"capacity\": 1}", 0);
        Lease lease = fx.drydock.allocator().acquire(LeaseRequest.builder("host").blueprint("none-left").build());
        Await.until("lease waiting for room", Duration.ofSeconds(30), () -> lease.info().statusReason().contains("waiting for room"));
        java.util.concurrent.CompletableFuture<Long> awaited = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            long start = System.nanoTime();
            assertThatThrownBy(() -> lease.await(Duration.ofSeconds(30))).isInstanceOf(LeaseBrokenException.class)
                    .hasMessageContaining("released by an operator");
            return (System.nanoTime() - start) / 1_000_000;
        });
        // The holder reads at once, then every second; releasing just after its first poll leaves
        // about 900 ms until the next, so only the release's own notification ends it sooner.
        sleep(1_100);

        long released = System.nanoTime();
        fx.drydock.releaseLease(lease.id());
        awaited.get(30, java.util.concurrent.TimeUnit.SECONDS);

        // woken by the release's notification, not by the once-a-second poll
        assertThat((System.nanoTime() - released) / 1_000_000).as("ms from release to await ending").isLessThan(500);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Test
    void resourceOfABlueprintThatKeepsNoIdleResourcesIsDestroyedOnRelease() throws Exception {
        Path throwaway = Files.createTempDirectory(temp, "drydock-throwaway");
        fx.drydock.blueprints().create("throwaway", "local-host",
                "{\"root\": \"" + throwaway + "\", \"capacity\": 1, \"keepIdle\": false}", 1);
        Lease lease = fx.drydock.allocator().acquire(LeaseRequest.builder("host").blueprint("throwaway").build());
        long resourceId = lease.await(Duration.ofSeconds(30)).info().resourceId().orElseThrow();
        Path slot = throwaway.resolve("resource-" + resourceId);
        assertThat(slot).isDirectory();

        lease.release();

        Await.until("resource destroyed", Duration.ofSeconds(30), () -> fx.drydock.resources().stream()
                .anyMatch(r -> r.id() == resourceId && r.status() == ResourceStatus.DESTROYED));
        assertThat(slot).doesNotExist();
        assertThat(fx.drydock.blueprints().find("throwaway").orElseThrow().resources()).as("its place in the limit is free").isZero();
    }

    @Test
    void aRequestForATypeNoBlueprintBuildsIsRefusedAndStoresNothing() {
        long before = fx.db.queryLong("SELECT count(*) FROM dd_lease");

        assertThatThrownBy(() -> fx.drydock.allocator().acquire(LeaseRequest.builder("working-copy").build()))
                .isInstanceOf(dev.drydock.api.InvalidRequestException.class)
                .hasMessageContaining("no blueprint builds resources of type 'working-copy'");
        assertThatThrownBy(() -> fx.drydock.allocator().acquire(LeaseRequest.builder("host").blueprint("nosuch").build()))
                .isInstanceOf(dev.drydock.api.InvalidRequestException.class)
                .hasMessageContaining("no blueprint named 'nosuch'");
        assertThat(fx.db.queryLong("SELECT count(*) FROM dd_lease")).as("nothing stored").isEqualTo(before);
    }

    @Test
    void aLeaseRequiringAnAttributeNoBlueprintDeclaresBreaksAtOnceSayingWhy() {
        Lease lease = fx.drydock.allocator().acquire(LeaseRequest.builder("host").attribute("os", "plan9").build());

        assertThatThrownBy(() -> lease.await(Duration.ofSeconds(30)))
                .isInstanceOf(LeaseBrokenException.class)
                .hasMessageContaining("do not have os=plan9");
    }

    @Test
    void leaseWhoseOnlyBlueprintIsDisabledBreaksSayingSo() throws Exception {
        Path otherRoot = Files.createTempDirectory(temp, "drydock-disabled");
        fx.drydock.blueprints().create("off", "local-host", "{\"root\": \"" + otherRoot + "\", \"capacity\": 1}", 1);
        fx.drydock.blueprints().setEnabled("off", false);
        Lease lease = fx.drydock.allocator().acquire(LeaseRequest.builder("host").blueprint("off").build());

        assertThatThrownBy(() -> lease.await(Duration.ofSeconds(30)))
                .isInstanceOf(LeaseBrokenException.class)
                .hasMessageContaining("off (disabled)");
    }

    @Test
    void leaseThatFindsNoRoomBeforeItsDeadlineBreaksNamingTheLimit() throws Exception {
        Path fullRoot = Files.createTempDirectory(temp, "drydock-full");
        fx.drydock.blueprints().create("full", "local-host", "{\"root\": \"" + fullRoot + "\", \"capacity\": 1}", 0);
        Lease lease = fx.drydock.allocator().acquire(LeaseRequest.builder("host").blueprint("full")
                .acquireDeadline(Duration.ofSeconds(2)).build());

        assertThatThrownBy(() -> lease.await(Duration.ofSeconds(30)))
                .isInstanceOf(LeaseBrokenException.class)
                .hasMessageContaining("acquire deadline")
                .hasMessageContaining("full: at its limit of 0 resources");
    }

    @Test
    void badBlueprintConfigurationIsRefusedNamingTheFieldAndNothingIsStored() {
        long before = fx.count("SELECT count(*) FROM dd_blueprint");

        assertThatThrownBy(() -> fx.drydock.blueprints().create("bad", "local-host", "{\"root\": \"relative\", \"capacity\": 1}", 1))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("config.root");
        assertThatThrownBy(() -> fx.drydock.blueprints().create("bad", "local-host", "{\"root\": \"/x\", \"capacity\": 1, \"colour\": 1}", 1))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("config.colour");
        assertThatThrownBy(() -> fx.drydock.blueprints().create("bad", "no-such-type", "{}", 1))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("unknown blueprint type 'no-such-type'");
        assertThat(fx.count("SELECT count(*) FROM dd_blueprint")).isEqualTo(before);
        assertThat(fx.drydock.blueprints().find("bad")).isEqualTo(Optional.empty());
    }
}
