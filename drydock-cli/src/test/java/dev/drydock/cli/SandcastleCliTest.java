package dev.drydock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.api.ResourceStatus;
import dev.drydock.core.Drydock;
import dev.drydock.testing.Await;
import dev.drydock.testing.PostgresExtension;
import dev.drydock.testing.TestDatabase;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Web roots of a real git repository's commits from the command line, served by a real server on
 * this machine and fetched over HTTP, with the daemon in a JVM of its own; and the sandcastle demo,
 * as a user with nothing set up runs it.
 */
@ExtendWith(PostgresExtension.class)
class SandcastleCliTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Pattern SERVING = Pattern.compile("serving at (http://\\S+)");

    @TempDir
    static Path temp;

    @Test
    void aWebRootOfACommitIsServedShownWorkedInAndStopsOnRelease(TestDatabase db, @TempDir Path repoDir, @TempDir Path hostRoot)
            throws Exception {
        DemoRepository repo = new DemoRepository(repoDir, 2);
        Cli cli = new Cli(db, temp);
        create(cli, "local-host", "hosts", "root=" + hostRoot, "capacity=8"); // one host: a web root serves checkouts on its own
        create(cli, "working-copy", "site", "repository=" + repo.url(), "keepIdleMinutes=0");
        create(cli, "webroot", "web", "ports=" + DemoHttp.freePorts(2), "keepIdleMinutes=0");
        Process daemon = cli.runningDaemon(Files.createTempFile(temp, "sandcastle-daemon", ".log"));
        try {
            Cli.Result leased = cli.run("lease", "--type", "webroot", "--attr", "repository=" + repo.url(), "--attr", "ref=v1");
            assertThat(leased.exitCode()).as(leased.stderr()).isZero();
            Matcher serving = SERVING.matcher(leased.stdout());
            assertThat(serving.find()).as("lease prints the URI: %s", leased.stdout()).isTrue();
            URI uri = URI.create(serving.group(1));
            String web = leased.stdout().replaceAll("(?s)^lease (\\d+) .*", "$1");
            assertThat(DemoHttp.get(uri)).isEqualTo(DemoRepository.indexOf(1));
            assertThat(cli.run("lease", "show", web).stdout()).contains("serving at  " + uri).contains("commit = " + repo.commit(1));

            Cli.Result checkout = cli.run("lease", "--type", "working-copy", "--attr", "ref=v2", "--json");
            assertThat(checkout.exitCode()).as(checkout.stderr()).isZero();
            String wc = Long.toString(Cli.jsonLong(checkout.stdout(), "id"));
            assertThat(checkout.stdout()).doesNotContain("serving at");
            assertThat(cli.runInItsOwnJvm("exec", wc, "--", "cat", "index.html").stdout()).isEqualTo(DemoRepository.indexOf(2));
            assertThat(cli.runInItsOwnJvm("exec", web, "--", "git", "rev-parse", "HEAD").stdout())
                    .as("a web root's commands run in its checkout").isEqualTo(repo.commit(1) + "\n");
            Path fetched = Files.createTempDirectory(temp, "sandcastle-get");
            assertThat(cli.run("fs", wc, "get", "index.html", fetched.resolve("wc.html").toString()).exitCode()).isZero();
            assertThat(cli.run("fs", web, "get", "index.html", fetched.resolve("web.html").toString()).exitCode()).isZero();
            assertThat(fetched.resolve("wc.html")).hasContent(DemoRepository.indexOf(2).strip());
            assertThat(fetched.resolve("web.html")).hasContent(DemoRepository.indexOf(1).strip());

            assertThat(cli.run("release", web, wc).exitCode()).isZero();
            for (String id : new String[] {web, wc}) {
                Rows.awaitStatus(db, "dd_lease", Long.parseLong(id), "DESTROYED", WAIT);
                assertThat(Cli.jsonString(cli.run("lease", "show", id, "--json").stdout(), "status")).as("lease " + id + " cleaned up")
                        .isEqualTo("DESTROYED");
            }
            assertThat(refused(uri)).as("nothing listens at a released web root's URI").isTrue();
        } finally {
            try (Drydock drydock = Drydock.builder(db.dataSource()).build()) { // no server may outlive the test
                Await.until("every web root and working copy destroyed", WAIT, () -> drydock.resources().stream()
                        .filter(r -> !r.resourceType().equals("host")).allMatch(r -> r.status() == ResourceStatus.DESTROYED));
            }
            daemon.destroy();
            daemon.waitFor();
        }
    }

    @Test
    void theSandcastleDemoServesTwoCommitsAtOnceWithNothingSetUp(@TempDir Path home) {
        HomeCli user = new HomeCli(home);

        Cli.Result demo = user.run("demo", "sandcastle");

        assertThat(demo.exitCode()).as(demo.stdout()).isZero();
        assertThat(demo.stdout()).containsPattern("GET http://127\\.0\\.0\\.1:\\d+/ -> \"version 1\\\\n\"")
                .containsPattern("GET http://127\\.0\\.0\\.1:\\d+/ -> \"version 2\\\\n\"")
                .containsPattern("serving at http://\\S+ with (nginx|busybox|python)").contains("done");
        Matcher repository = Pattern.compile("file://(/\\S+)/site/").matcher(demo.stdout());
        assertThat(repository.find()).isTrue();
        assertThat(Path.of(repository.group(1))).as("the demo's directory is deleted").doesNotExist();
        assertThat(user.postmasters()).as("the demo's temporary database is stopped").isZero();
    }

    private static void create(Cli cli, String type, String name, String... settings) {
        List<String> args = new ArrayList<>(List.of("blueprint", "create", "--type", type, "--name", name, "--limit", "1"));
        for (String setting : settings) {
            args.addAll(List.of("--set", setting));
        }
        Cli.Result created = cli.run(args.toArray(String[]::new));
        assertThat(created.exitCode()).as(created.stderr()).isZero();
    }

    private static boolean refused(URI uri) {
        try (Socket ignored = new Socket(uri.getHost(), uri.getPort())) {
            return false;
        } catch (ConnectException e) {
            return true;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
