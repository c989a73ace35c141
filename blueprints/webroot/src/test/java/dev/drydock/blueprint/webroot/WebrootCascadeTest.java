package dev.drydock.blueprint.webroot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.api.Lease;
import dev.drydock.api.LeaseRequest;
import dev.drydock.api.ResourceInfo;
import dev.drydock.api.ResourceStatus;
import dev.drydock.blueprint.remotehost.RemoteHostBlueprint;
import dev.drydock.core.WaitLink;
import dev.drydock.testing.Await;
import dev.drydock.testing.LeakCheck;
import dev.drydock.testing.PostgresExtension;
import dev.drydock.testing.SshHost;
import dev.drydock.testing.TestDatabase;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sandcastles on a pool of two SSH hosts (127.0.0.2 and 127.0.0.3) of two leases each, so a web
 * root and its clone fill one host. Killing that host's sshd breaks the host, the web root, the
 * clone and the leases, each reason naming the chain below it; a new lease for the same commit is
 * then served from the other host; and a lease waiting for room on a full host is explained by
 * {@code why} down to that host.
 */
@ExtendWith({PostgresExtension.class, LeakCheck.class})
class WebrootCascadeTest {

    @Test
    void aDeadHostBreaksItsWebRootCloneAndLeasesInAChainAndTheNextLeaseIsServedFromTheOtherHost(
            TestDatabase db, @TempDir Path repoDir, @TempDir Path otherRepoDir, @TempDir Path hostRoot, @TempDir Path keys) {
        SiteRepository repo = new SiteRepository(repoDir, 2);
        SiteRepository other = new SiteRepository(otherRepoDir, 1);
        try (SshPool pool = new SshPool(keys, "127.0.0.2", "127.0.0.3");
             WebrootFixture f = new WebrootFixture(db, hostRoot, List.of(new RemoteHostBlueprint()))) {
            f.drydock.blueprints().create("pair", RemoteHostBlueprint.TYPE, pool.config(2, hostRoot), 2);
            f.workingCopies("site", repo);
            f.workingCopies("other-site", other);
            f.webroots("web", "{\"ports\": \"" + FreePorts.range("127.0.0.2", 4) + "\"}", 2);
            String deadHostDirectory = null;
            try {
                // One after the other: two leases asked for at once would each have a web root built, and
                // the second one's host lease would take the room on host A that the clone needs.
                Lease one = f.drydock.allocator().acquire(WebrootLocalTest.sandcastle(repo, "v1"));
                URI uriOne = one.await(WebrootFixture.WAIT).httpdInterface().uri();
                Lease two = f.drydock.allocator().acquire(WebrootLocalTest.sandcastle(repo, "main"));
                two.await(WebrootFixture.WAIT);
                ResourceInfo webRoot = f.resource(one.info().resourceId().orElseThrow());
                ResourceInfo hostA = f.resource(Long.parseLong(webRoot.attributes().get("host.resource")));
                ResourceInfo clone = f.resource(checkoutOf(f, one).resourceId().orElseThrow());
                SshHost a = pool.at(hostA.attributes().get("address"));
                deadHostDirectory = hostRoot.resolve("resource-" + hostA.id()).toString();
                assertThat(two.info().resourceId()).as("one web root serves both").contains(webRoot.id());
                assertThat(clone.attributes()).as("the clone is on the web root's host").containsEntry("host.resource", Long.toString(hostA.id()));
                assertThat(uriOne.getHost()).isEqualTo(a.host());
                assertThat(f.get(uriOne)).isEqualTo(SiteRepository.indexOf(1));

                a.kill();

                for (Lease lease : List.of(one, two)) {
                    String reason = f.brokenReason(lease);
                    assertThat(reason).as("lease %s's reason names the chain", lease.id()).contains("sub-lease 'host'");
                }
                for (ResourceInfo broken : List.of(hostA, webRoot, clone)) {
                    Await.until("resource " + broken.id() + " (" + broken.resourceType() + ") broken", WebrootFixture.WAIT,
                            () -> f.resource(broken.id()).status() == ResourceStatus.BROKEN
                                    || f.resource(broken.id()).status() == ResourceStatus.DESTROYED);
                }
                assertThat(f.resource(hostA.id()).statusReason()).contains("h" + pool.hosts.indexOf(a));
                assertThat(f.resource(webRoot.id()).statusReason()).contains("its sub-lease 'host'").contains("h" + pool.hosts.indexOf(a));
                assertThat(f.resource(clone.id()).statusReason()).contains("its sub-lease 'host'").contains("h" + pool.hosts.indexOf(a));

                Lease again = f.drydock.allocator().acquire(WebrootLocalTest.sandcastle(repo, "v1"));
                URI uriAgain = again.await(WebrootFixture.WAIT).httpdInterface().uri();
                SshHost b = pool.hosts.get(1 - pool.hosts.indexOf(a));
                assertThat(uriAgain.getHost()).as("served from the other host").isEqualTo(b.host());
                assertThat(f.get(uriAgain)).isEqualTo(SiteRepository.indexOf(1));

                // Host B is now full too (its web root and its clone); a lease of another repository
                // needs a second clone on B, which waits for room there.
                Lease waiting = f.drydock.allocator().acquire(WebrootLocalTest.sandcastle(other, "main"));
                long hostB = Long.parseLong(f.resource(again.info().resourceId().orElseThrow()).attributes().get("host.resource"));
                String why = Await.value("why lease " + waiting.id() + " waits, down to its host", WebrootFixture.WAIT, () -> {
                    String text = f.drydock.waitChain(waiting.id()).stream().map(WaitLink::description).collect(Collectors.joining("\n"));
                    return text.contains("waiting for room on resource " + hostB) ? text : null;
                });
                assertThat(why).as("why, link by link").contains("resource " + again.info().resourceId().orElseThrow() + " of blueprint web")
                        .contains("its sub-lease 'checkout-" + waiting.id() + "'").contains("a working-copy")
                        .contains("of blueprint other-site").contains("its sub-lease 'host'");
            } finally {
                try {
                    f.cleanUp();
                } finally {
                    if (deadHostDirectory != null) {
                        // Host A is 'dead' to Drydock: it could not stop the servers there when it destroyed the
                        // broken web root, which is as it should be for a host it cannot reach. Here the
                        // 'remote' host is this machine, so the test stops what it left.
                        WebrootFixture.killProcessesNaming(deadHostDirectory);
                    }
                }
            }
            assertThat(f.processesUnderHostRoot()).as("server processes left").isEmpty();
        }
    }

    private static dev.drydock.api.LeaseInfo checkoutOf(WebrootFixture f, Lease lease) {
        long checkout = Long.parseLong(lease.info().leaseAttributes().get("checkout.lease"));
        return f.drydock.allocator().find(checkout).orElseThrow();
    }
}
