package dev.drydock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.testing.Await;
import dev.drydock.testing.PostgresExtension;
import dev.drydock.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole flow through the commands as a user types them, with the daemon in its own JVM: the
 * commands run in this one, except an exec whose program's output is checked and a lease command
 * stopped by a signal, which run in JVMs of their own; then bad input, refused with exit 2 and
 * nothing changed.
 */
@ExtendWith(PostgresExtension.class)
class CliFlowTest {
    /** Kept if a test fails: the daemon's log is in it. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path temp;

    private static Cli cli;
    private static TestDatabase db;
    private static Process daemon;
    private static Path root;
    private static Path daemonLog;

    @BeforeAll
    static void startDaemon(TestDatabase database) throws Exception {
        db = database;
        cli = new Cli(db, temp);
        root = Files.createTempDirectory(temp, "cli-hosts");
        daemonLog = Files.createTempFile(temp, "daemon", ".log");
        assertThat(cli.run("migrate").exitCode()).isZero();
        daemon = cli.runningDaemon(daemonLog);
    }

    @AfterAll
    static void stopDaemon() throws Exception {
        daemon.destroy(); // SIGTERM: graceful
        assertThat(daemon.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).as("daemon stops on SIGTERM; log: %s", daemonLog).isTrue();
    }

    @Test
    void leaseExecFilesAndReleaseAsAUserTypesThem() throws Exception {
        Cli.Result created = cli.run("blueprint", "create", "--type", "local-host", "--name", "hosts",
                "--set", "root=" + root, "--set", "capacity=2", "--limit", "2", "--placement", "spread");
        assertThat(created.exitCode()).as(created.stderr()).isZero();
        assertThat(cli.run("blueprint", "show", "hosts").stdout()).contains("\"placement\" : \"spread\"");

        Cli.Result leased = cli.run("lease", "--type", "host", "--json");
        assertThat(leased.exitCode()).as(leased.stderr()).isZero();
        long id = Cli.jsonLong(leased.stdout(), "id");
        assertThat(Cli.jsonString(leased.stdout(), "status")).isEqualTo("ACTIVE");
        assertThat(leased.stderr()).as("progress shows the transitions").contains("PENDING -> ACQUIRED").contains("ACQUIRED -> ACTIVE");

        Cli.Result exec = cli.runInItsOwnJvm("exec", Long.toString(id), "--", "sh", "-c", "echo to-out; echo to-err >&2; exit 3");
        assertThat(exec.exitCode()).as("exit code is the command's").isEqualTo(3);
        assertThat(exec.stdout()).isEqualTo("to-out\n");
        assertThat(exec.stderr()).contains("to-err");

        Path local = Files.writeString(Files.createTempFile(temp, "put", ".txt"), "payload through the lease\n");
        Path back = Files.createTempDirectory(temp, "get").resolve("back.txt");
        assertThat(cli.run("fs", Long.toString(id), "put", local.toString(), "dir/a.txt").exitCode()).isZero();
        assertThat(cli.run("fs", Long.toString(id), "get", "dir/a.txt", back.toString()).exitCode()).isZero();
        assertThat(back).hasSameTextualContentAs(local);
        assertThat(cli.run("fs", Long.toString(id), "ls", "dir").stdout()).contains("dir/a.txt");
        Path script = Files.writeString(Files.createTempFile(temp, "run", ".sh"), "#!/bin/sh\necho ran from the lease\n");
        assertThat(cli.run("fs", Long.toString(id), "mkdir", "tools").exitCode()).isZero();
        assertThat(cli.run("fs", Long.toString(id), "put", script.toString(), "tools/run.sh").exitCode()).isZero();
        Cli.Result badMode = cli.run("fs", Long.toString(id), "chmod", "999", "tools/run.sh");
        assertThat(badMode.exitCode()).as("a mode that is not one is bad input").isEqualTo(2);
        assertThat(badMode.stderr()).contains("mode '999'");
        assertThat(cli.run("exec", Long.toString(id), "--", "./tools/run.sh").exitCode()).as("not executable yet").isNotZero();
        assertThat(cli.run("fs", Long.toString(id), "chmod", "750", "tools/run.sh").exitCode()).isZero();
        Cli.Result ran = cli.runInItsOwnJvm("exec", Long.toString(id), "--", "./tools/run.sh");
        assertThat(ran.stdout()).as(ran.stderr()).isEqualTo("ran from the lease\n");

        Cli.Result escape = cli.run("fs", Long.toString(id), "get", "../../../../etc/passwd", back.toString());
        assertThat(escape.exitCode()).as("a path escaping the lease is bad input").isEqualTo(2);
        assertThat(escape.stderr()).contains("refused path");
        assertThat(back).as("nothing was written").hasSameTextualContentAs(local);

        Cli.Result shown = cli.run("lease", "show", Long.toString(id), "--json");
        for (String field : new String[] {"id", "status", "resourceType", "resourceId", "statusReason", "createdAt", "activatedAt", "expiresAt"}) {
            assertThat(shown.stdout()).contains("\"" + field + "\"");
        }
        assertThat(Path.of(Cli.jsonString(shown.stdout(), "directory")).resolve("dir/a.txt"))
                .as("lease show says where the lease's files are").hasSameTextualContentAs(local);
        assertThat(cli.run("status", "--json").stdout()).contains("\"taskmasters\"").contains("\"ACTIVE\" : 1");
        String resourceId = Long.toString(Cli.jsonLong(shown.stdout(), "resourceId"));
        assertThat(cli.run("why", Long.toString(id)).stdout()).as("an active lease's why shows how it was placed")
                .contains("placed: acquired on resource " + resourceId + " of blueprint hosts (spread: r" + resourceId + " ");
        assertThat(cli.run("lease", "list", "--blueprint", "hosts", "--type", "host", "--status", "ACTIVE").stdout())
                .as("filters that match").containsPattern("(?m)^" + id + " +ACTIVE");
        assertThat(cli.run("lease", "list", "--type", "webroot").stdout()).as("another type").doesNotContainPattern("(?m)^" + id + " ");
        assertThat(cli.run("lease", "list", "--before", Long.toString(id)).stdout()).as("the page after it").doesNotContainPattern("(?m)^" + id + " ");
        assertThat(cli.run("resource", "list", "--blueprint", "hosts", "--status", "ACTIVE").stdout()).containsPattern("(?m)^" + resourceId + " +ACTIVE");
        assertThat(cli.run("resource", "list", "--status", "BROKEN").stdout()).doesNotContainPattern("(?m)^" + resourceId + " ");

        assertThat(cli.run("release", Long.toString(id)).exitCode()).isZero();
        Rows.awaitStatus(db, "dd_lease", id, "DESTROYED", Duration.ofSeconds(30));
        assertThat(Cli.jsonString(cli.run("lease", "show", Long.toString(id), "--json").stdout(), "status")).isEqualTo("DESTROYED");
        Cli.Result resources = cli.run("resource", "list", "--json");
        assertThat(Cli.jsonString(resources.stdout(), "status")).as("local-host keeps the idle slot").isEqualTo("ACTIVE");
        assertThat(Cli.jsonLong(resources.stdout(), "activeLeases")).isZero();
        String resource = Long.toString(Cli.jsonLong(resources.stdout(), "id"));
        assertThat(cli.run("resource", "show", resource).stdout()).as("the configuration its steps use: references only")
                .contains("\"config\"").contains(root.toString()).contains("\"configIsBlueprintsCurrent\" : true");
        assertThat(cli.run("blueprint", "update", "hosts", "--set", "capacity=3").exitCode()).isZero();
        assertThat(cli.run("resource", "show", resource).stdout()).as("an edit leaves it on the one it was built with")
                .contains("\"configIsBlueprintsCurrent\" : false");
        assertThat(cli.run("resource", "use-current-config", resource).stdout()).contains("now uses its blueprint's current configuration");
        assertThat(cli.run("resource", "show", resource).stdout()).contains("\"capacity\" : 3").contains("\"configIsBlueprintsCurrent\" : true");
        assertThat(cli.run("logs", "--lease", Long.toString(id)).stdout()).contains("RELEASED -> DESTROYED");
        assertThat(cli.run("why", Long.toString(id)).stdout()).contains("is DESTROYED");
    }

    @Test
    void interruptingAWaitingLeaseCommandReleasesWhatItRequested() throws Exception {
        assertThat(cli.run("blueprint", "create", "--type", "local-host", "--name", "no-room",
                "--set", "root=" + root, "--set", "capacity=1", "--limit", "0").exitCode()).isZero();
        Path out = Files.createTempFile(temp, "waiting", ".log");
        ProcessBuilder command = new ProcessBuilder(dev.drydock.testing.JavaProcess.javaExecutable(), "-cp",
                dev.drydock.testing.JavaProcess.classpath(), DrydockControl.class.getName(), "--db", db.jdbcUrlWithCredentials(),
                "lease", "--type", "host", "--blueprint", "no-room").redirectErrorStream(true).redirectOutput(out.toFile());
        command.environment().put("DRYDOCK_HOME", cli.home().toString());
        Process waiting = command.start();
        Await.until("the lease is waiting for room", Duration.ofSeconds(60), () -> read(out).contains("waiting for room"));
        long id = Long.parseLong(read(out).replaceAll("(?s).*lease (\\d+):.*", "$1"));

        waiting.destroy(); // SIGTERM, as Ctrl-C's SIGINT: the shutdown hook releases
        waiting.waitFor();

        assertThat(read(out)).contains("interrupted: released lease(s) [" + id + "]");
        Rows.awaitStatus(db, "dd_lease", id, "DESTROYED", Duration.ofSeconds(30));
        assertThat(Cli.jsonString(cli.run("lease", "show", Long.toString(id), "--json").stdout(), "status")).as("the interrupted lease is released")
                .isEqualTo("DESTROYED");
    }

    @Test
    void aLeaseNobodyCanServeBreaksAndWhySaysWhy() throws Exception {
        Cli.Result created = cli.run("blueprint", "create", "--type", "local-host", "--name", "plain-hosts",
                "--set", "root=" + Files.createTempDirectory(temp, "cli-plain-hosts"), "--set", "attributes={\"os\": \"linux\"}");
        assertThat(created.exitCode()).as(created.stderr()).isZero();

        Cli.Result leased = cli.run("lease", "--type", "host", "--blueprint", "plain-hosts", "--attr", "gpu=yes", "--json");

        assertThat(leased.exitCode()).as(leased.stderr()).isEqualTo(DrydockControl.FAILED);
        long id = Cli.jsonLong(leased.stdout(), "id");
        assertThat(cli.run("why", Long.toString(id)).stdout()).contains("plain-hosts").contains("do not have gpu=yes")
                .contains("it declares {os=linux}");
        Cli.Result unknownType = cli.run("lease", "--type", "gpu-box", "--json");
        assertThat(unknownType.exitCode()).as("a type no blueprint builds is bad input").isEqualTo(DrydockControl.BAD_INPUT);
        assertThat(unknownType.stderr()).contains("no blueprint builds resources of type 'gpu-box'");
    }

    @Test
    void anAllOrNothingLeaseWaitsAsOneGangWhyNamesItAndItsMembersBecomeActiveTogether() throws Exception {
        Cli.Result created = cli.run("blueprint", "create", "--type", "local-host", "--name", "gang-hosts",
                "--set", "root=" + root, "--set", "capacity=1", "--limit", "2");
        assertThat(created.exitCode()).as(created.stderr()).isZero();
        Cli.Result single = cli.run("lease", "--type", "host", "--blueprint", "gang-hosts", "--json");
        assertThat(single.exitCode()).as(single.stderr()).isZero();
        long singleId = Cli.jsonLong(single.stdout(), "id");

        Cli.Result requested = cli.run("lease", "--type", "host", "--blueprint", "gang-hosts", "--count", "2", "--all-or-nothing",
                "--no-wait", "--json");
        assertThat(requested.exitCode()).as(requested.stderr()).isZero();
        long gang = Cli.jsonLong(requested.stdout(), "gang");
        long member = Cli.jsonLong(requested.stdout(), "id");
        // the gang is WAITING from its request on; it says what it waits for once its task has looked for room
        Await.until("why names the waiting gang and what it waits for", Duration.ofSeconds(30), () -> {
            String why = cli.run("why", Long.toString(member)).stdout();
            return why.contains("members of gang " + gang + ", which become active together or not at all; the gang is WAITING")
                    && why.contains("waiting for room for all 2 members");
        });

        assertThat(cli.run("release", Long.toString(singleId)).exitCode()).isZero();
        Rows.awaitStatus(db, "dd_lease", member, "ACTIVE", Duration.ofSeconds(30));
        assertThat(Cli.jsonString(cli.run("lease", "show", Long.toString(member), "--json").stdout(), "status")).isEqualTo("ACTIVE");
        assertThat(cli.run("lease", "list", "--blueprint", "gang-hosts", "--status", "ACTIVE").stdout()).as("both members")
                .containsPattern("(?m)^" + member + " +ACTIVE").containsPattern("(?m)^" + (member + 1) + " +ACTIVE");
        assertThat(cli.run("release", Long.toString(member), Long.toString(member + 1)).exitCode()).isZero();
        Rows.awaitStatus(db, "dd_lease", member + 1, "DESTROYED", Duration.ofSeconds(30));
        assertThat(Cli.jsonString(cli.run("lease", "show", Long.toString(member + 1), "--json").stdout(), "status")).isEqualTo("DESTROYED");
    }

    @Test
    void badInputExitsTwoNamesTheProblemAndChangesNothing() throws Exception {
        long before = rows();

        assertBad(cli.run("lease", "--type", "Not A Type"), "resourceType");
        assertBad(cli.run("lease", "--type", "host", "--count", "0"), "--count");
        assertBad(cli.run("lease", "--type", "host", "--ttl", "soon"), "not a duration");
        assertBad(cli.run("blueprint", "create", "--type", "local-host", "--name", "bad", "--set", "root=relative", "--set", "capacity=1"), "config.root");
        assertBad(cli.run("blueprint", "create", "--type", "warp-drive", "--name", "bad"), "unknown blueprint type");
        Cli.Result noLease = cli.run("exec", "987654", "--", "true");
        assertThat(noLease.exitCode()).as("exec's own failures are 125, apart from its command's codes").isEqualTo(125);
        assertThat(noLease.stderr()).contains("no lease 987654");
        assertBad(cli.run("release", "987654"), "no lease 987654");
        assertBad(cli.run("lease", "--no-such-option"), "no-such-option");
        assertBad(cli.run("lease", "--type", "host", "--count", "1001", "--all-or-nothing"), "--count");
        assertBad(cli.run("lease", "--type", "gpu-box", "--count", "2", "--all-or-nothing", "--no-wait"), "no blueprint builds resources of type 'gpu-box'");

        assertThat(rows()).as("leases + blueprints + resources").isEqualTo(before);
    }

    private static void assertBad(Cli.Result result, String mentions) {
        assertThat(result.exitCode()).as("exit code; stderr: %s", result.stderr()).isEqualTo(DrydockControl.BAD_INPUT);
        assertThat(result.stderr()).contains(mentions);
    }

    private static long rows() throws Exception {
        try (Connection c = db.queryConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT (SELECT count(*) FROM dd_lease) + (SELECT count(*) FROM dd_blueprint) + (SELECT count(*) FROM dd_resource)")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (java.io.IOException e) {
            return "";
        }
    }
}
