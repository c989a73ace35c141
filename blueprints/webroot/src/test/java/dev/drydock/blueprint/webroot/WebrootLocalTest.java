package dev.drydock.blueprint.webroot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.api.Lease;
import dev.drydock.api.LeaseRequest;
import dev.drydock.testing.LeakCheck;
import dev.drydock.testing.PostgresExtension;
import dev.drydock.testing.TestDatabase;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A sandcastle on the local host: web roots of two commits of one repository at once, each serving
 * exactly its commit's files at its own URI, fetched over HTTP; releasing one stops serving it
 * (connection refused) and removes its checkout, and destroying the web root leaves no server
 * process behind. Each server the machine has is tried.
 */
@ExtendWith({PostgresExtension.class, LeakCheck.class})
class WebrootLocalTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"nginx", "busybox", "python"})
    void webRootsOfTwoCommitsServeEachItsOwnAndStopOnRelease(String server, TestDatabase db, @TempDir Path repoDir,
                                                              @TempDir Path hostRoot) {
        SiteRepository repo = new SiteRepository(repoDir, 2);
        try (WebrootFixture f = new WebrootFixture(db, hostRoot)) {
            f.localHost("local-" + server, 8);
            f.workingCopies("site-" + server, repo);
            f.webroots("web-" + server, "{\"ports\": \"" + FreePorts.range("127.0.0.1", 4) + "\", \"server\": \"" + server + "\"}", 1);
            try {
                Lease first = f.drydock.allocator().acquire(sandcastle(repo, "v1"));
                Lease second = f.drydock.allocator().acquire(sandcastle(repo, "main"));
                URI one = first.await(WebrootFixture.WAIT).httpdInterface().uri();
                URI two = second.await(WebrootFixture.WAIT).httpdInterface().uri();

                assertThat(one).isNotEqualTo(two);
                assertThat(f.get(one)).isEqualTo(SiteRepository.indexOf(1));
                assertThat(f.get(two)).isEqualTo(SiteRepository.indexOf(2));
                assertThat(f.get(one.resolve("docs/page.html"))).isEqualTo("docs of version 1\n");
                assertThat(first.info().leaseAttributes()).containsEntry("commit", repo.commit(1)).containsEntry("uri", one.toString());
                assertThat(second.info().leaseAttributes()).containsEntry("commit", repo.commit(2));
                assertThat(first.info().resourceId()).as("one web root serves both").isEqualTo(second.info().resourceId());

                String checkout = first.info().leaseAttributes().get("root");
                first.release();
                f.awaitCleanedUp(first);
                assertThat(f.refused(one)).as("nothing listens at a released lease's URI").isTrue();
                assertThat(Path.of(checkout)).as("its checkout is removed").doesNotExist();
                assertThat(f.get(two)).as("the other lease still serves").isEqualTo(SiteRepository.indexOf(2));
                second.release();
            } finally {
                f.cleanUp();
            }
            assertThat(f.processesUnderHostRoot()).as("server processes left after the web root was destroyed").isEmpty();
        }
    }

    @Test
    void eightWebRootsRequestedAtOnceEachServeTheirCommitOnAPortOfTheirOwn(TestDatabase db, @TempDir Path repoDir, @TempDir Path hostRoot) {
        SiteRepository repo = new SiteRepository(repoDir, 4);
        try (WebrootFixture f = new WebrootFixture(db, hostRoot)) {
            f.localHost("local-eight", 12);
            f.workingCopies("site-eight", repo);
            f.webroots("web-eight", "{\"ports\": \"" + FreePorts.range("127.0.0.1", 8) + "\", \"capacity\": 8}", 1);
            try {
                List<Lease> leases = IntStream.rangeClosed(1, 8)
                        .mapToObj(i -> f.drydock.allocator().acquire(sandcastle(repo, "v" + (1 + i % 4)))).toList();
                for (int i = 1; i <= 8; i++) {
                    URI uri = leases.get(i - 1).await(WebrootFixture.WAIT).httpdInterface().uri();
                    assertThat(f.get(uri)).as("lease %d at %s", i, uri).isEqualTo(SiteRepository.indexOf(1 + i % 4));
                }
                assertThat(db.queryLong("SELECT count(DISTINCT lease_attributes ->> 'port') FROM dd_lease WHERE status = 'ACTIVE'"
                        + " AND resource_type = 'webroot'")).as("eight leases, eight ports").isEqualTo(8);
                assertThat(leases.stream().map(l -> l.info().resourceId().orElseThrow()).distinct().count()).as("one web root").isEqualTo(1);
                leases.forEach(Lease::release);
            } finally {
                f.cleanUp();
            }
            assertThat(f.processesUnderHostRoot()).as("server processes left after the web root was destroyed").isEmpty();
        }
    }

    @Test
    void aLeaseWithoutARepositoryServesADirectoryItsHolderFills(TestDatabase db, @TempDir Path hostRoot) {
        try (WebrootFixture f = new WebrootFixture(db, hostRoot)) {
            f.localHost("local-plain", 2);
            f.webroots("web-plain", "{\"ports\": \"" + FreePorts.range("127.0.0.1", 2) + "\"}", 1);
            try (Lease lease = f.drydock.allocator().acquire(LeaseRequest.builder("webroot").build())) {
                lease.await(WebrootFixture.WAIT);
                lease.filesystemInterface().write("hello.html", "hello\n".getBytes(StandardCharsets.UTF_8));
                URI uri = lease.httpdInterface().uri();
                assertThat(f.get(uri.resolve("hello.html"))).isEqualTo("hello\n");
                lease.httpdInterface().reload();
                assertThat(f.get(uri.resolve("hello.html"))).as("served across a reload").isEqualTo("hello\n");
            } finally {
                f.cleanUp();
            }
        }
    }

    static LeaseRequest sandcastle(SiteRepository repo, String ref) {
        return LeaseRequest.builder("webroot").attribute("repository", repo.url()).attribute("ref", ref).build();
    }
}
