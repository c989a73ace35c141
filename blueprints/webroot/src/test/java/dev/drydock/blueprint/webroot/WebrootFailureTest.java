package dev.drydock.blueprint.webroot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.api.Lease;
import dev.drydock.api.LeaseRequest;
import dev.drydock.api.ResourceStatus;
import dev.drydock.testing.LeakCheck;
import dev.drydock.testing.PostgresExtension;
import dev.drydock.testing.TestDatabase;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a webroot lease cannot get breaks that lease alone, with a reason that says what it lacked,
 * and leaves nothing behind: a ref the repository lacks, a repository that cannot be reached, a
 * port range with no free port.
 */
@ExtendWith({PostgresExtension.class, LeakCheck.class})
class WebrootFailureTest {

    @Test
    void aRefTheRepositoryLacksBreaksThatLeaseWhileTheWebRootServesOthers(TestDatabase db, @TempDir Path repoDir, @TempDir Path hostRoot) {
        SiteRepository repo = new SiteRepository(repoDir, 2);
        try (WebrootFixture f = new WebrootFixture(db, hostRoot)) {
            f.localHost("local-ref", 8);
            f.workingCopies("site-ref", repo);
            f.webroots("web-ref", "{\"ports\": \"" + FreePorts.range("127.0.0.1", 3) + "\"}", 1);
            f.thenCleanUp(() -> {
                Lease good = f.drydock.allocator().acquire(WebrootLocalTest.sandcastle(repo, "v1"));
                URI served = good.await(WebrootFixture.WAIT).httpdInterface().uri();
                Lease missing = f.drydock.allocator().acquire(WebrootLocalTest.sandcastle(repo, "no-such-ref"));

                assertThat(f.brokenReason(missing)).contains("'no-such-ref'").contains(repo.url());
                long webRoot = good.info().resourceId().orElseThrow();
                assertThat(missing.info().resourceId()).as("it was a lease of the same web root").contains(webRoot);
                assertThat(f.resource(webRoot).status()).as("its checkout serves that lease alone: the web root lives on")
                        .isEqualTo(ResourceStatus.ACTIVE);
                assertThat(f.get(served)).as("the lease it already served").isEqualTo(SiteRepository.indexOf(1));
                Lease next = f.drydock.allocator().acquire(WebrootLocalTest.sandcastle(repo, "main"));
                assertThat(f.get(next.await(WebrootFixture.WAIT).httpdInterface().uri())).isEqualTo(SiteRepository.indexOf(2));
                assertThat(next.info().resourceId()).as("a new lease on the same web root").contains(webRoot);
                good.release();
                next.release();
                for (Lease lease : java.util.List.of(missing, good, next)) {
                    f.awaitCleanedUp(lease);
                }
                assertThat(f.checkoutsLeft()).as("checkouts left on the host").isEmpty();
            });
        }
    }

    @Test
    void aRepositoryThatCannotBeReachedBreaksTheLeaseSayingWhich(TestDatabase db, @TempDir Path hostRoot) {
        String nowhere = "file:///nonexistent/x.git";
        try (WebrootFixture f = new WebrootFixture(db, hostRoot)) {
            f.localHost("local-nowhere", 8);
            f.drydock.blueprints().create("site-nowhere", "working-copy", "{\"repository\": \"" + nowhere + "\", \"keepIdleMinutes\": 0}", 1);
            f.webroots("web-nowhere", "{\"ports\": \"" + FreePorts.range("127.0.0.1", 2) + "\"}", 1);
            f.thenCleanUp(() -> {
                Lease lease = f.drydock.allocator().acquire(LeaseRequest.builder("webroot").attribute("repository", nowhere)
                        .attribute("ref", "main").acquireDeadline(Duration.ofSeconds(15)).build());

                String reason = f.brokenReason(lease);
                // The engine builds the clone again and again (with backoff) until the deadline; each try's failure is the reason.
                assertThat(reason).contains("not active by its acquire deadline").contains("its working copy of " + nowhere)
                        .contains("cannot clone " + nowhere).contains("does not appear to be a git repository");
                f.awaitCleanedUp(lease);
                assertThat(f.checkoutsLeft()).as("checkouts left on the host").isEmpty();
            });
        }
    }

    @Test
    void aLeaseFindingNoFreePortBreaksAtItsDeadlineSayingSoAndTheNextGetsThePortOnceFreed(TestDatabase db, @TempDir Path hostRoot) {
        String port = FreePorts.range("127.0.0.1", 1).split("-")[0];
        try (WebrootFixture f = new WebrootFixture(db, hostRoot)) {
            f.localHost("local-ports", 4);
            f.webroots("web-ports", "{\"ports\": \"" + port + "-" + port + "\", \"capacity\": 2}", 1);
            f.thenCleanUp(() -> {
                Lease first = f.drydock.allocator().acquire(LeaseRequest.builder("webroot").build());
                URI uri = first.await(WebrootFixture.WAIT).httpdInterface().uri();
                assertThat(uri.getPort()).isEqualTo(Integer.parseInt(port));
                Lease second = f.drydock.allocator().acquire(LeaseRequest.builder("webroot").acquireDeadline(Duration.ofSeconds(5)).build());

                assertThat(f.brokenReason(second)).contains("not active by its acquire deadline").contains("a free port")
                        .contains("ports " + port + " ");
                assertThat(second.info().resourceId()).as("it waited on the web root that has the room")
                        .isEqualTo(first.info().resourceId());
                f.get(uri); // the first still serves
                first.release();
                f.awaitCleanedUp(first);
                f.awaitCleanedUp(second);
                assertThat(f.refused(uri)).as("nothing listens once the first is released").isTrue();

                try (Lease next = f.drydock.allocator().acquire(LeaseRequest.builder("webroot").build())) {
                    assertThat(next.await(WebrootFixture.WAIT).httpdInterface().uri().getPort()).isEqualTo(Integer.parseInt(port));
                    f.get(next.httpdInterface().uri());
                }
            });
        }
    }
}
