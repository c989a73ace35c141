package dev.drydock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.testing.Await;
import dev.drydock.testing.PostgresExtension;
import dev.drydock.testing.TestDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --watch} on lease show, lease list and status: each shows its view again as soon as a lease
 * changes (a waiting lease served once another is released, a release), only when the view reads differently, and
 * {@code lease show --watch} ends by itself once the lease is destroyed.
 */
@ExtendWith(PostgresExtension.class)
class WatchCliTest {
    private static final Pattern STAMP = Pattern.compile("(?m)^\\[\\d\\d:\\d\\d(:\\d\\d)?]$");
    private static final Duration LIVE = Duration.ofSeconds(30);

    @Test
    void watchersShowEachChangeOfALeaseUntilItIsDestroyed(TestDatabase db, @TempDir Path temp) throws Exception {
        Cli cli = new Cli(db, temp);
        assertThat(cli.run("migrate").exitCode()).isZero();
        assertThat(cli.run("blueprint", "create", "--type", "local-host", "--name", "hosts", "--set", "root=" + temp.resolve("hosts"),
                "--set", "capacity=1", "--limit", "1").exitCode()).isZero();
        Process daemon = cli.runningDaemon(temp.resolve("daemon.log"));
        List<Process> watchers = new ArrayList<>();
        try {
            Cli.Result first = cli.run("lease", "--type", "host", "--json");
            assertThat(first.exitCode()).as(first.stderr()).isZero();
            Cli.Result requested = cli.run("lease", "--type", "host", "--no-wait", "--json");
            assertThat(requested.exitCode()).as(requested.stderr()).isZero();
            long id = Cli.jsonLong(requested.stdout(), "id"); // waits: the one host has room for one lease
            Path show = temp.resolve("show.txt");
            Path list = temp.resolve("list.txt");
            Path status = temp.resolve("status.txt");
            Process showing = cli.start(show, "lease", "show", Long.toString(id), "--watch");
            watchers.add(showing);
            watchers.add(cli.start(list, "lease", "list", "--watch"));
            watchers.add(cli.start(status, "status", "--watch"));
            await(show, "lease " + id + " PENDING");
            await(list, id + " +PENDING");
            await(status, "PENDING=1");

            assertThat(cli.run("release", Long.toString(Cli.jsonLong(first.stdout(), "id"))).exitCode()).isZero();
            await(show, "lease " + id + " ACTIVE");
            await(list, id + " +ACTIVE");
            Await.until("status --watch showing no waiting lease", LIVE, () -> !views(read(status)).getLast().contains("PENDING"));

            assertThat(cli.run("release", Long.toString(id)).exitCode()).isZero();
            assertThat(showing.waitFor(LIVE.toSeconds(), TimeUnit.SECONDS)).as("lease show --watch ends once the lease is destroyed: %s",
                    read(show)).isTrue();
            assertThat(showing.exitValue()).isZero();
            String shown = read(show);
            assertThat(statuses(shown)).as(shown).startsWith("PENDING").endsWith("DESTROYED").contains("ACTIVE");
            List<String> views = views(shown);
            for (int i = 1; i < views.size(); i++) {
                assertThat(views.get(i)).as("a view is shown again only when it reads differently").isNotEqualTo(views.get(i - 1));
            }
            await(list, id + " +DESTROYED");
        } finally {
            watchers.forEach(Process::destroy);
            daemon.destroy();
            daemon.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static void await(Path output, String regex) {
        Pattern pattern = Pattern.compile(regex);
        try {
            Await.until(output.getFileName() + " showing /" + regex + "/", LIVE, () -> pattern.matcher(read(output)).find());
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; it shows:\n" + read(output), e);
        }
    }

    private static List<String> statuses(String shown) {
        List<String> all = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^lease \\d+ ([A-Z]+):").matcher(shown);
        while (m.find()) {
            all.add(m.group(1));
        }
        return all;
    }

    /** The views printed, without the time line above each. */
    private static List<String> views(String shown) {
        return STAMP.splitAsStream(shown).map(String::strip).filter(v -> !v.isEmpty()).toList();
    }

    private static String read(Path output) {
        try {
            return Files.exists(output) ? Files.readString(output) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
