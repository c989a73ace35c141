package dev.drydock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.testing.Await;
import dev.drydock.testing.PostgresExtension;
import dev.drydock.testing.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The security review's findings, replayed as the users it names: root (this test's user) leases
 * through the CLI, and {@code nobody}, with the same database URL and a DRYDOCK_HOME of its own,
 * tries to release, exec in and read root's lease. nobody runs drydock-control through
 * {@code runuser -u nobody} on a copy of the classpath it can read (the jars under /root are not);
 * root runs it in this JVM, except an exec whose program runs or whose whole stderr is checked.
 * Also: files keep their mode through {@code fs put}, {@code exec} passes stdin on and keeps its own
 * failures apart from its command's exit codes.
 */
@ExtendWith(PostgresExtension.class)
class HolderCliTest {
    private static final String NOBODY = "nobody";

    /** Kept if a test fails: the daemon's log is in it. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path temp;

    private static Cli cli;
    private static TestDatabase db;
    private static Process daemon;
    private static Path root;
    private static Path daemonLog;
    private static ReadableClasspath readable;
    private static Path nobodyHome;

    @BeforeAll
    static void startDaemon(TestDatabase database) throws Exception {
        db = database;
        Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rwxr-xr-x")); // nobody must reach its home below
        cli = new Cli(db, temp);
        root = Files.createTempDirectory(temp, "cli-hosts");
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x")); // only the lease directories are private
        daemonLog = Files.createTempFile(temp, "daemon", ".log");
        readable = new ReadableClasspath(dev.drydock.testing.JavaProcess.classpath());
        nobodyHome = Files.createTempDirectory(temp, "nobody-parent").resolve("home"); // nobody creates it if it needs it
        Files.setPosixFilePermissions(nobodyHome.getParent(), PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThat(cli.run("migrate").exitCode()).isZero();
        assertThat(cli.run("blueprint", "create", "--type", "local-host", "--name", "hosts",
                "--set", "root=" + root, "--set", "capacity=8", "--limit", "1").exitCode()).isZero();
        daemon = cli.runningDaemon(daemonLog);
    }

    @AfterAll
    static void stopDaemon() throws Exception {
        try {
            daemon.destroy();
            assertThat(daemon.waitFor(30, TimeUnit.SECONDS)).as("daemon stops on SIGTERM; log: %s", daemonLog).isTrue();
        } finally {
            readable.delete();
        }
    }

    @Test
    void anotherOsUserCanNeitherReleaseNorUseALeaseItDoesNotHold() throws Exception {
        long id = acquire();
        Path tokens = cli.home().resolve("owner-tokens");
        Path token = Files.list(Files.list(tokens).findFirst().orElseThrow()).filter(p -> p.getFileName().toString().equals("lease-" + id))
                .findFirst().orElseThrow(() -> new AssertionError("no token file for lease " + id + " under " + tokens));
        assertThat(Files.getPosixFilePermissions(token)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.getPosixFilePermissions(token.getParent())).isEqualTo(PosixFilePermissions.fromString("rwx------"));
        assertThat(Files.getPosixFilePermissions(tokens)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
        assertThat(cli.run("lease", "show", Long.toString(id), "--json").stdout()).as("the token is never printed")
                .doesNotContain(Files.readString(token));

        Cli.Result release = asNobody("release", Long.toString(id));
        Cli.Result exec = asNobody("exec", Long.toString(id), "--", "id");
        Cli.Result get = asNobody("fs", Long.toString(id), "get", "x", "/tmp/x-" + id);

        assertThat(release.exitCode()).as(release.stderr()).isEqualTo(DrydockControl.FAILED);
        assertThat(release.stderr()).contains("lease " + id + " is not held by you").contains("--operator")
                .doesNotContain("org.", "java.", "Exception");
        assertThat(exec.exitCode()).as(exec.stderr()).isEqualTo(125);
        assertThat(exec.stdout()).as("id never ran").isEmpty();
        assertThat(exec.stderr()).contains("lease " + id + " is not held by you");
        assertThat(get.exitCode()).as(get.stderr()).isEqualTo(DrydockControl.FAILED);
        assertThat(get.stderr()).contains("not held by you");
        assertThat(status(id)).as("nothing changed").isEqualTo("ACTIVE");

        Cli.Result own = cli.runInItsOwnJvm("exec", Long.toString(id), "--", "id", "-u");
        assertThat(own.exitCode()).as("the holder needs no flag; %s", own.stderr()).isZero();
        assertThat(own.stdout()).isEqualTo("0\n");

        Cli.Result operator = asNobody("release", "--operator", Long.toString(id));
        assertThat(operator.exitCode()).as(operator.stderr()).isZero();
        assertThat(operator.stdout()).contains("released lease " + id + " as operator nobody (uid 65534)");
        Await.until("lease destroyed", Duration.ofSeconds(30), () -> status(id).equals("DESTROYED"));
        assertThat(cli.run("logs", "--lease", Long.toString(id)).stdout()).contains("released by operator nobody (uid 65534)");

        Cli.Result again = cli.run("release", Long.toString(id));
        assertThat(again.exitCode()).as(again.stderr()).isZero();
        assertThat(again.stdout()).contains("lease " + id + " has already ended: it is DESTROYED").doesNotContain("released lease");
        assertThat(token).as("an ended lease's token is deleted").doesNotExist();
    }

    @Test
    void anOperatorsUseOfALeaseIsWrittenOnItsLog() {
        long id = acquire();

        Cli.Result exec = cli.runInItsOwnJvm("exec", "--operator", Long.toString(id), "--", "true");

        assertThat(exec.exitCode()).as(exec.stderr()).isZero();
        assertThat(cli.run("logs", "--lease", Long.toString(id)).stdout()).contains("command interface opened by operator root (uid 0)");
        Cli.Result released = cli.run("release", Long.toString(id));
        assertThat(released.stdout()).isEqualTo("released lease " + id + "\n");
    }

    @Test
    void aPrivateFileStaysPrivateInAPrivateLeaseDirectory() throws Exception {
        long id = acquire();
        Path secret = Files.writeString(Files.createTempFile(temp, "secret", ".env"), "TOKEN=hunter2\n");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));

        Cli.Result put = cli.run("fs", Long.toString(id), "put", secret.toString(), "secret.env");

        assertThat(put.exitCode()).as(put.stderr()).isZero();
        Path leaseDir = Path.of(Cli.jsonString(cli.run("lease", "show", Long.toString(id), "--json").stdout(), "directory"));
        assertThat(Files.getPosixFilePermissions(leaseDir)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
        assertThat(Files.getPosixFilePermissions(leaseDir.resolve("secret.env"))).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        Process cat = new ProcessBuilder("runuser", "-u", NOBODY, "--", "cat", leaseDir.resolve("secret.env").toString())
                .redirectErrorStream(true).start();
        String catOutput = new String(cat.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(cat.waitFor()).as("nobody cannot read it: %s", catOutput).isNotZero();
        assertThat(catOutput).doesNotContain("hunter2").contains("Permission denied");
        assertThat(cli.run("release", Long.toString(id)).exitCode()).isZero();
    }

    @Test
    void execPassesStdinOnAndKeepsItsOwnFailuresApart() throws Exception {
        long id = acquire();
        Path script = Files.writeString(Files.createTempFile(temp, "run", ".sh"), "#!/bin/sh\necho ran\n");
        assertThat(cli.run("fs", Long.toString(id), "put", script.toString(), "tools/run.sh").exitCode()).isZero();

        Cli.Result cat = cli.runInItsOwnJvm(Cli.As.ME, Map.of("DRYDOCK_HOME", cli.home().toString()), "x\n".getBytes(StandardCharsets.UTF_8),
                "exec", Long.toString(id), "--", "cat");
        // its whole stderr, log lines included, must not show the PATH searched
        Cli.Result notFound = cli.runInItsOwnJvm("exec", Long.toString(id), "--", "drydock-no-such-program");
        Cli.Result notExecutable = cli.run("exec", Long.toString(id), "--", "./tools/run.sh");
        Cli.Result directory = cli.run("exec", Long.toString(id), "--", "./tools");
        Cli.Result missingCommand = cli.run("exec", Long.toString(id));

        assertThat(cat.exitCode()).as(cat.stderr()).isZero();
        assertThat(cat.stdout()).isEqualTo("x\n");
        assertThat(notFound.exitCode()).as(notFound.stderr()).isEqualTo(127);
        assertThat(notFound.stderr()).contains("'drydock-no-such-program' was not found").doesNotContain(System.getenv("PATH"));
        assertThat(notExecutable.exitCode()).as(notExecutable.stderr()).isEqualTo(126);
        assertThat(notExecutable.stderr()).contains("is not executable").doesNotContain("not found");
        assertThat(directory.exitCode()).as(directory.stderr()).isEqualTo(126);
        assertThat(directory.stderr()).contains("is a directory");
        assertThat(missingCommand.exitCode()).as(missingCommand.stderr()).isEqualTo(125);
        Cli.Result badId = cli.run("exec", "not-a-number", "--", "true");
        assertThat(badId.exitCode()).as("a usage error is exec's own failure too; %s", badId.stderr()).isEqualTo(125);
        assertThat(cli.run("exec", "--help").stdout()).contains("125").contains("126").contains("127");

        assertThat(cli.run("release", Long.toString(id)).exitCode()).isZero();
        Await.until("lease destroyed", Duration.ofSeconds(30), () -> status(id).equals("DESTROYED"));
        Cli.Result ended = cli.run("exec", "--operator", Long.toString(id), "--", "true");
        assertThat(ended.exitCode()).as("a Drydock failure: the lease is not active").isEqualTo(125);
        assertThat(ended.stderr()).contains("DESTROYED, not ACTIVE");
    }

    @Test
    void leaseShowPrintsJsonOrText() {
        long id = acquire();

        Cli.Result json = cli.run("lease", "show", Long.toString(id), "--json");
        Cli.Result text = cli.run("lease", "show", Long.toString(id));

        assertThat(json.exitCode()).as(json.stderr()).isZero();
        assertThat(json.stdout()).startsWith("{");
        assertThat(Cli.jsonLong(json.stdout(), "id")).isEqualTo(id);
        assertThat(text.stdout()).startsWith("lease " + id + " ACTIVE");
        assertThat(cli.run("release", Long.toString(id)).exitCode()).isZero();
    }

    private static long acquire() {
        Cli.Result leased = cli.run("lease", "--type", "host", "--json");
        assertThat(leased.exitCode()).as(leased.stderr()).isZero();
        assertThat(leased.stdout()).contains("\"status\" : \"ACTIVE\"");
        return Cli.jsonLong(leased.stdout(), "id");
    }

    private static Cli.Result asNobody(String... args) {
        return cli.runInItsOwnJvm(Cli.As.user(NOBODY, readable.classpath()), Map.of("DRYDOCK_HOME", nobodyHome.toString()), new byte[0], args);
    }

    private static String status(long id) {
        try (var c = db.queryConnection(); var s = c.prepareStatement("SELECT status FROM dd_lease WHERE id = ?")) {
            s.setLong(1, id);
            try (var rs = s.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        }
    }
}
