package dev.drydock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.testing.PostgresExtension;
import dev.drydock.testing.TestDatabase;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code drydock-control demo}, the README's first command: a host leased end to end (a command run
 * and a file written and read back through the lease), by a user with nothing set up and on a
 * configured database; either way the run leaves nothing behind: no host directory, and on the
 * configured database no blueprint and no live resource or lease.
 */
@ExtendWith(PostgresExtension.class)
class DemoCliTest {
    private static final Pattern HOST_ROOT = Pattern.compile("local-host under (/\\S+)\\)");

    @TempDir
    static Path temp;

    @Test
    void theDemoLeasesAHostEndToEndWithNothingSetUpAndLeavesNothingBehind(@TempDir Path home) {
        HomeCli user = new HomeCli(home);

        Cli.Result demo = user.run("demo");

        assertRanEndToEnd(demo);
        assertThat(user.postmasters()).as("the demo's temporary database is stopped").isZero();
    }

    @Test
    void onAConfiguredDatabaseTheDemoDeletesWhatItCreated(TestDatabase db) {
        Cli.Result demo = new Cli(db, temp).run("demo");

        assertRanEndToEnd(demo);
        assertThat(demo.stdout()).contains("database ready (" + db.jdbcUrl());
        assertThat(db.queryLong("SELECT count(*) FROM dd_lease")).as("leases the demo made").isEqualTo(1);
        assertThat(db.queryLong("SELECT count(*) FROM dd_lease WHERE status <> 'DESTROYED'")).as("leases left").isZero();
        assertThat(db.queryLong("SELECT count(*) FROM dd_resource WHERE status <> 'DESTROYED'")).as("resources left").isZero();
        assertThat(new Cli(db, temp).run("blueprint", "list", "--json").stdout()).as("blueprints left").doesNotContain("demo-local-");
    }

    private static void assertRanEndToEnd(Cli.Result demo) {
        assertThat(demo.exitCode()).as(demo.stdout() + demo.stderr()).isZero();
        assertThat(demo.stdout()).containsPattern("lease \\d+ is ACTIVE on resource \\d+")
                .containsPattern("ran `uname -sr` -> exit 0, output: " + Pattern.quote(System.getProperty("os.name")) + " \\S+")
                .contains("wrote hello.txt and read it back: \"hello from drydock\"")
                .containsPattern("released lease \\d+; its directory and host destroyed, blueprint demo-local-\\w+ deleted")
                .endsWith("done\n");
        Matcher root = HOST_ROOT.matcher(demo.stdout());
        assertThat(root.find()).as(demo.stdout()).isTrue();
        assertThat(Path.of(root.group(1))).as("the demo's host directory is deleted").doesNotExist();
    }
}
