package dev.drydock.blueprint.workingcopy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drydock.api.Lease;
import dev.drydock.api.LeaseBrokenException;
import dev.drydock.api.LeaseInfo;
import dev.drydock.api.LeaseRequest;
import dev.drydock.api.LeaseStatus;
import dev.drydock.testing.Await;
import dev.drydock.testing.LeakCheck;
import dev.drydock.testing.PostgresExtension;
import dev.drydock.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * What goes wrong says what it was: a ref the repository lacks breaks the lease naming the ref and
 * the repository, a malformed ref is refused before it reaches a host, and a repository that cannot
 * be cloned fails the build saying so, to the lease waiting for it. Nothing is left behind, on the
 * hosts or in the database ({@link LeakCheck}).
 */
@ExtendWith({PostgresExtension.class, LeakCheck.class})
class WorkingCopyFailureTest {
    private static final Duration WAIT = Duration.ofMinutes(1);

    @Test
    void aRefTheRepositoryLacksBreaksTheLeaseNamingRefAndRepository(TestDatabase db, @TempDir Path repoDir, @TempDir Path hostRoot) {
        TestRepository repo = new TestRepository(repoDir);
        try (WorkingCopyFixture f = new WorkingCopyFixture(db, hostRoot)) {
            f.hosts("hosts-1", 1);
            f.drydock.blueprints().create("app-1", WorkingCopyBlueprint.TYPE, "{\"repository\": \"" + repo.url() + "\"}", 1);
            try {
                Lease missing = f.drydock.allocator().acquire(LeaseRequest.builder("working-copy").attribute("ref", "no-such-branch").build());
                assertThatThrownBy(() -> missing.await(WAIT)).isInstanceOf(LeaseBrokenException.class)
                        .hasMessageContaining("ref 'no-such-branch' does not exist in " + repo.url());
                String absent = "0123456789abcdef0123456789abcdef01234567";
                Lease noCommit = f.drydock.allocator().acquire(LeaseRequest.builder("working-copy").attribute("ref", absent).build());
                assertThatThrownBy(() -> noCommit.await(WAIT)).isInstanceOf(LeaseBrokenException.class)
                        .hasMessageContaining("ref '" + absent + "' does not exist in " + repo.url());
                Lease malformed = f.drydock.allocator().acquire(LeaseRequest.builder("working-copy").attribute("ref", "--upload-pack=x").build());
                assertThatThrownBy(() -> malformed.await(WAIT)).isInstanceOf(LeaseBrokenException.class)
                        .hasMessageContaining("ref '--upload-pack=x' is not a branch, tag or commit name");
                Lease none = f.drydock.allocator().acquire(LeaseRequest.builder("working-copy").build());
                assertThatThrownBy(() -> none.await(WAIT)).isInstanceOf(LeaseBrokenException.class)
                        .hasMessageContaining("needs the attribute ref");

                try (Lease good = f.drydock.allocator().acquire(LeaseRequest.builder("working-copy").attribute("ref", "v1").build())) {
                    good.await(WAIT); // the clone still serves
                }
                Await.until("every lease cleaned up", WAIT, () -> db.queryLong("SELECT count(*) FROM dd_lease WHERE status <> 'DESTROYED'"
                        + " AND resource_type = 'working-copy'") == 0);
                assertThat(f.checkouts()).as("checkouts left").isEmpty();
                assertThat(TestRepository.run(hostRoot, "--git-dir=" + clonePath(db), "for-each-ref", "refs/drydock"))
                        .as("fetch refs left in the clone").isEmpty();
            } finally {
                f.cleanUp();
            }
            assertThat(f.leftUnderHostRoot()).as("left on the hosts").isEmpty();
        }
    }

    /**
     * {@code git worktree add} gives the new worktree a placeholder HEAD naming no object before it
     * checks the commit out, and a fetch into the same clone meanwhile fails its connectivity check
     * ("bad object worktrees/NAME/HEAD", "did not send all necessary objects"). That is another
     * lease's checkout being made, not a ref the repository lacks: the fetch is tried again.
     */
    @Test
    void aFetchThatMeetsAnotherCheckoutHalfAddedWaitsForItInsteadOfBreakingTheLease(TestDatabase db, @TempDir Path repoDir,
            @TempDir Path hostRoot) throws Exception {
        TestRepository repo = new TestRepository(repoDir);
        try (WorkingCopyFixture f = new WorkingCopyFixture(db, hostRoot)) {
            f.hosts("hosts-3", 1);
            f.drydock.blueprints().create("app-3", WorkingCopyBlueprint.TYPE, "{\"repository\": \"" + repo.url() + "\"}", 1);
            try {
                try (Lease first = f.drydock.allocator().acquire(LeaseRequest.builder("working-copy").attribute("ref", "v1").build())) {
                    first.await(WAIT);
                    Path halfAdded = hostRoot.resolve(clonePath(db)).resolve("worktrees/lease-999");
                    Files.createDirectories(halfAdded);
                    Files.writeString(halfAdded.resolve("HEAD"), "0".repeat(40) + "\n");
                    Files.writeString(halfAdded.resolve("gitdir"), hostRoot.resolve("elsewhere/.git") + "\n");
                    Files.writeString(halfAdded.resolve("commondir"), "../..\n");
                    Files.writeString(halfAdded.resolve("locked"), "initializing\n");
                    try (Lease main = f.drydock.allocator().acquire(LeaseRequest.builder("working-copy").attribute("ref", "main").build())) {
                        Await.until("the lease waits for the other checkout", WAIT, () -> {
                            LeaseInfo now = main.info();
                            assertThat(now.status()).as("status (%s)", now.statusReason()).isNotEqualTo(LeaseStatus.BROKEN);
                            return now.statusReason().contains("another git command on the clone to finish (bad object worktrees/lease-999/HEAD");
                        });
                        dev.drydock.embedded.PrivateFiles.deleteTree(halfAdded);
                        main.await(WAIT);
                        assertThat(main.info().leaseAttributes()).containsEntry("commit", repo.refs.get("main"));
                    }
                }
            } finally {
                f.cleanUp();
            }
            assertThat(f.leftUnderHostRoot()).as("left on the hosts").isEmpty();
        }
    }

    @Test
    void aRepositoryThatCannotBeClonedFailsTheBuildSayingWhy(TestDatabase db, @TempDir Path hostRoot) {
        String nowhere = "file://" + hostRoot.resolve("no-such-repository.git");
        try (WorkingCopyFixture f = new WorkingCopyFixture(db, hostRoot.resolve("hosts"))) {
            f.hosts("hosts-2", 1);
            f.drydock.blueprints().create("nowhere", WorkingCopyBlueprint.TYPE, "{\"repository\": \"" + nowhere + "\"}", 1);
            try {
                Lease lease = f.drydock.allocator().acquire(LeaseRequest.builder("working-copy").attribute("ref", "main").build());
                Await.until("the lease says why it waits", WAIT, () -> lease.info().statusReason().contains("cannot clone " + nowhere));
                assertThat(lease.info().statusReason()).contains("could not be built").contains("check that the repository exists");
                assertThat(db.queryLong("SELECT count(*) FROM dd_resource WHERE resource_type = 'working-copy' AND status_reason LIKE"
                        + " '%cannot clone " + nowhere + "%'")).as("resources failed with the reason").isPositive();
                lease.release();
            } finally {
                f.cleanUp();
            }
            assertThat(f.leftUnderHostRoot()).as("left on the hosts").isEmpty();
        }
    }

    private static String clonePath(TestDatabase db) {
        long resource = db.queryLong("SELECT id FROM dd_resource WHERE resource_type = 'host' AND status = 'ACTIVE'");
        long hostLease = db.queryLong("SELECT id FROM dd_lease WHERE resource_id = " + resource + " AND status = 'ACTIVE'");
        return "resource-" + resource + "/lease-" + hostLease + "/" + WorkingCopyConfig.DEFAULT_CACHE_DIRECTORY + "/" + CloneLayout.CLONE;
    }
}
