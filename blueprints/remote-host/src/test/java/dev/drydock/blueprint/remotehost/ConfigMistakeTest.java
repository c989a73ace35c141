package dev.drydock.blueprint.remotehost;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.api.Lease;
import dev.drydock.api.LeaseRequest;
import dev.drydock.api.LeaseStatus;
import dev.drydock.api.ResourceInfo;
import dev.drydock.api.ResourceStatus;
import dev.drydock.testing.Await;
import dev.drydock.testing.LeakCheck;
import dev.drydock.testing.PostgresExtension;
import dev.drydock.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A configuration mistake (a private key reference to a file that is no key) breaks the resource it
 * was built with; the broken resource is destroyed as soon as the configuration is fixed and the
 * operator points the resource at the fix, frees its place in the limit, and the next lease works.
 * Nothing is left stuck for good. The fix alone does not do it: every step of a resource uses the
 * configuration it was built with (architecture decision 42), since a destroy with an edited one (a
 * host removed from the pool, another region) could report gone what still exists.
 */
@ExtendWith({PostgresExtension.class, LeakCheck.class})
class ConfigMistakeTest {
    @TempDir
    static Path temp;

    @Test
    void aBrokenResourceKeepsNoPlaceOnceItsConfigurationIsFixed(TestDatabase db) throws Exception {
        Path notAKey = Files.writeString(Files.createTempFile(temp, "not-a-key", ".txt"), "this is not a private key\n");
        Path remoteRoot = Files.createTempDirectory(temp, "remote-root");
        try (RemotePool pool = new RemotePool(db, 1)) {
            String good = pool.config(1, remoteRoot.toString());
            String bad = good.replace("file:" + pool.hosts.get(0).userPrivateKeyPath(), "file:" + notAKey);
            pool.drydock.blueprints().create("pool", "remote-host", bad, 1);

            Lease first = pool.drydock.allocator().acquire(LeaseRequest.builder("host").acquireDeadline(Duration.ofSeconds(20)).build());
            Await.until("a resource broken by the bad key, failing to be destroyed", Duration.ofSeconds(60), () ->
                    resource(pool).filter(r -> r.status() == ResourceStatus.BROKEN && r.statusReason().contains("destroy failing")).isPresent());
            ResourceInfo broken = resource(pool).orElseThrow();
            assertThat(broken.statusReason()).as("why, and what to do, for operators").contains("could not destroy it").contains("trying again")
                    .contains("drydock-control resource use-current-config " + broken.id());
            assertThat(pool.drydock.blueprints().find("pool").orElseThrow().resources()).as("it still holds its place").isEqualTo(1);
            first.release();

            assertThat(pool.drydock.releaseResource(broken.id())).as("nothing is released twice").isFalse();
            pool.drydock.blueprints().update("pool", Optional.of(good), Optional.empty(), Optional.empty());
            assertThat(pool.drydock.useCurrentConfig(broken.id(), "test")).as("pointed at the fixed configuration").isTrue();
            Await.until("the broken resource destroyed with the fixed configuration", Duration.ofSeconds(90), () ->
                    pool.drydock.resource(broken.id()).orElseThrow().status() == ResourceStatus.DESTROYED);
            assertThat(pool.drydock.blueprints().find("pool").orElseThrow().resources()).as("its place is free").isZero();

            try (Lease next = pool.drydock.allocator().acquire(LeaseRequest.builder("host").build())) {
                next.await(Duration.ofSeconds(60));
                assertThat(next.info().status()).isEqualTo(LeaseStatus.ACTIVE);
                Path directory = Path.of(next.info().leaseAttributes().get("directory"));
                assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(directory)))
                        .as("the lease's directory on the host is private from the start").isEqualTo("rwx------");
            }
            assertThat(db.queryLong("SELECT count(*) FROM tq_task_archive WHERE outcome = 'failed'"))
                    .as("no engine task was given up").isZero();
        }
    }

    private static Optional<ResourceInfo> resource(RemotePool pool) {
        return pool.drydock.resources().stream().filter(r -> r.blueprintName().equals("pool")).findFirst();
    }
}
