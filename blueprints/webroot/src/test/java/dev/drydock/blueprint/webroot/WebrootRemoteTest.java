package dev.drydock.blueprint.webroot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.api.Lease;
import dev.drydock.blueprint.remotehost.RemoteHostBlueprint;
import dev.drydock.testing.LeakCheck;
import dev.drydock.testing.PostgresExtension;
import dev.drydock.testing.TestDatabase;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sandcastle on a remote host reached over SSH (a real sshd on 127.0.0.2): the URI names the
 * host's address and serves the requested commit; releasing stops it and removes the checkout, and
 * destroying the web root leaves no server process behind. The host's lease directories are on
 * this machine, so the test looks at them directly.
 */
@ExtendWith({PostgresExtension.class, LeakCheck.class})
class WebrootRemoteTest {

    @Test
    void aSandcastleOnARemoteHostServesItsCommitAtTheHostsAddressAndLeavesNothingBehind(TestDatabase db, @TempDir Path repoDir,
                                                                                     @TempDir Path hostRoot, @TempDir Path keys) {
        SiteRepository repo = new SiteRepository(repoDir, 2);
        try (SshPool pool = new SshPool(keys, "127.0.0.2");
             WebrootFixture f = new WebrootFixture(db, hostRoot, List.of(new RemoteHostBlueprint()))) {
            f.drydock.blueprints().create("remote", RemoteHostBlueprint.TYPE, pool.config(4, hostRoot), 1);
            f.workingCopies("site-remote", repo);
            f.webroots("web-remote", "{\"ports\": \"" + FreePorts.range("127.0.0.2", 2) + "\"}", 1);
            String webRootDirectory;
            try {
                Lease lease = f.drydock.allocator().acquire(WebrootLocalTest.sandcastle(repo, "v1"));
                URI uri = lease.await(WebrootFixture.WAIT).httpdInterface().uri();
                webRootDirectory = f.resource(lease.info().resourceId().orElseThrow()).attributes().get("directory");

                assertThat(uri.getHost()).as("served on the remote host's address").isEqualTo("127.0.0.2");
                assertThat(f.get(uri)).isEqualTo(SiteRepository.indexOf(1));
                assertThat(f.get(uri.resolve("docs/page.html"))).isEqualTo("docs of version 1\n");
                assertThat(lease.info().leaseAttributes()).containsEntry("commit", repo.commit(1));
                Path checkout = Path.of(lease.info().leaseAttributes().get("root"));
                assertThat(checkout).as("the checkout, in a lease directory of the remote host").startsWith(hostRoot).isDirectory();
                assertThat(webRootDirectory).startsWith(hostRoot.toString());

                lease.release();
                f.awaitCleanedUp(lease);
                assertThat(f.refused(uri)).as("nothing listens at a released lease's URI").isTrue();
                assertThat(checkout).as("its checkout is removed").doesNotExist();
                assertThat(f.checkoutsLeft()).isEmpty();
            } finally {
                f.cleanUp();
            }
            assertThat(WebrootFixture.processesNaming(webRootDirectory)).as("server processes naming the destroyed web root's directory")
                    .isEmpty();
            assertThat(f.processesUnderHostRoot()).isEmpty();
        }
    }
}
