package dev.drydock.blueprint.workingcopy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drydock.api.Command;
import dev.drydock.api.Lease;
import dev.drydock.api.LeaseRequest;
import dev.drydock.api.PathOutsideRootException;
import dev.drydock.core.LogEntry;
import dev.drydock.testing.LeakCheck;
import dev.drydock.testing.PostgresExtension;
import dev.drydock.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * One clone serves lease after lease: a branch moved in the repository is fetched (its latest
 * commit checked out), an abbreviated commit the clone has is found without fetching, and the
 * repository is cloned once. The clone's host is a sub-lease owned by the clone; a lease's commands
 * and files stay in its checkout.
 */
@ExtendWith({PostgresExtension.class, LeakCheck.class})
class WorkingCopyReuseTest {
    private static final Duration WAIT = Duration.ofMinutes(1);

    @Test
    void aCloneIsFetchedNeverClonedAgainAndABranchGivesItsLatestCommit(TestDatabase db, @TempDir Path repoDir, @TempDir Path hostRoot)
            throws Exception {
        TestRepository repo = new TestRepository(repoDir);
        try (WorkingCopyFixture f = new WorkingCopyFixture(db, hostRoot)) {
            f.hosts("hosts", 1);
            f.drydock.blueprints().create("app", WorkingCopyBlueprint.TYPE, "{\"repository\": \"" + repo.url() + "\"}", 1);
            try {
                long clone;
                try (Lease first = f.drydock.allocator().acquire(LeaseRequest.builder("working-copy").attribute("ref", "main").build())) {
                    first.await(WAIT);
                    assertThat(first.info().leaseAttributes()).containsEntry("commit", repo.refs.get("main"));
                    clone = first.info().resourceId().orElseThrow();
                    assertThat(f.checkouts()).singleElement().satisfies(dir -> {
                        assertThat(dir.getFileName().toString()).isEqualTo("lease-" + first.id());
                        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).as("the checkout's mode").isEqualTo("rwx------");
                    });
                    assertThat(first.commandInterface().run(Command.builder(java.util.List.of("cat", "deep.txt")).workingDirectory("dir").build())
                            .stdoutText()).as("a command in a subdirectory of the checkout").isEqualTo("deep 5\n");
                    assertThatThrownBy(() -> first.filesystemInterface().read("../clone.git/HEAD")).isInstanceOf(PathOutsideRootException.class);
                    assertThatThrownBy(() -> first.commandInterface().run(Command.builder(java.util.List.of("true")).workingDirectory("..").build()))
                            .isInstanceOf(PathOutsideRootException.class);
                    first.release();
                    first.awaitEnded(WAIT);
                }
                String pushed = repo.commitOnMain(6);
                try (Lease again = f.drydock.allocator().acquire(LeaseRequest.builder("working-copy").attribute("ref", "main").build());
                     Lease old = f.drydock.allocator().acquire(LeaseRequest.builder("working-copy")
                             .attribute("ref", repo.commits.get(1).substring(0, 10)).build())) {
                    again.await(WAIT);
                    old.await(WAIT);
                    assertThat(again.info().resourceId()).contains(clone);
                    assertThat(again.info().leaseAttributes()).as("main moved: its latest commit").containsEntry("commit", pushed);
                    assertThat(ContentHash.of(again.filesystemInterface())).isEqualTo(ContentHash.of(repo.files(pushed)));
                    assertThat(old.info().leaseAttributes()).containsEntry("commit", repo.commits.get(1));
                    assertThat(ContentHash.of(old.filesystemInterface())).isEqualTo(ContentHash.of(repo.files(repo.commits.get(1))));
                }
                assertThat(f.drydock.logs(Optional.empty(), Optional.of(clone), Optional.empty(), 0, 10_000).stream()
                        .map(LogEntry::message).filter(m -> m.startsWith("cloned ")).count()).as("clones made").isEqualTo(1);
                assertThat(db.queryLong("SELECT count(*) FROM dd_lease WHERE owner_resource_id = " + clone + " AND resource_type = 'host'"
                        + " AND status = 'ACTIVE'")).as("the clone's host sub-lease").isEqualTo(1);
            } finally {
                f.cleanUp();
            }
            assertThat(f.leftUnderHostRoot()).as("left on the hosts").isEmpty();
        }
    }
}
