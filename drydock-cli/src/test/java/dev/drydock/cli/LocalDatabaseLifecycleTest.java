package dev.drydock.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drydock.embedded.LocalPostgres;
import dev.drydock.testing.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local database under DRYDOCK_HOME outlives the command that started it (a taskmaster started
 * after it keeps its database), is managed by {@code db status|stop}, keeps its data across a stop,
 * and is started once when two commands race for it.
 */
class LocalDatabaseLifecycleTest {
    @TempDir
    Path temp;

    private HomeCli cli;

    @BeforeEach
    void home() {
        cli = new HomeCli(temp.resolve("home"));
    }

    @AfterEach
    void stopTheServer() {
        cli.stopServer();
    }

    @Test
    void theDatabaseOutlivesTheCommandThatStartedItUntilDbStop() throws Exception {
        Path log = temp.resolve("logs-follow.txt");
        Process follower = cli.start(log, "logs", "--follow");
        try {
            // Until it answers: a server still starting or being set up would not show what outlives what.
            Await.until("logs --follow to start the local database", Duration.ofSeconds(90), () -> cli.answers() || !follower.isAlive());
            assertThat(follower.isAlive()).as("logs --follow is still running: %s", Files.exists(log) ? Files.readString(log) : "").isTrue();
        } finally {
            follower.destroyForcibly(); // SIGKILL: no shutdown hook may run
            follower.waitFor();
        }
        long pid = LocalPostgres.in(temp.resolve("home")).status().pid().orElseThrow();
        int port = cli.port();

        try (Connection c = cli.connectAsDrydock(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
            assertThat(rs.next()).as("the database still answers after its starter was killed").isTrue();
        }
        Cli.Result status = cli.run("db", "status");
        assertThat(status.exitCode()).as(status.stdout()).isZero();
        assertThat(status.stdout()).contains("running: pid " + pid).contains(temp.resolve("home/pgdata").toString()).contains("15.19");
        assertThat(Cli.jsonLong(cli.run("db", "status", "--json").stdout(), "pid")).isEqualTo(pid);

        Cli.Result created = cli.run("blueprint", "create", "--type", "local-host", "--name", "kept",
                "--set", "root=" + temp.resolve("hosts"), "--set", "capacity=1");
        assertThat(created.exitCode()).as(created.stdout()).isZero();

        Cli.Result stopped = cli.run("db", "stop");
        assertThat(stopped.exitCode()).as(stopped.stdout()).isZero();
        assertThat(stopped.stdout()).contains("stopped the local database");
        assertThatThrownBy(() -> DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/drydock", "drydock", "-"))
                .as("nothing listens on port " + port + " any more").hasMessageContaining("refused");
        assertThat(cli.run("db", "status").stdout()).startsWith("stopped");
        assertThat(cli.run("db", "stop").stdout()).contains("was not running");

        Cli.Result listed = cli.run("blueprint", "list");
        assertThat(listed.exitCode()).as(listed.stdout()).isZero();
        assertThat(listed.stdout()).as("the next command started it again, with its data").contains("kept");
        assertThat(cli.run("db", "status").stdout()).startsWith("running");
    }

    @Test
    void twoCommandsRacingToStartItEndWithOneServer() throws Exception {
        Process first = cli.start(temp.resolve("first.txt"), "status");
        Process second = cli.start(temp.resolve("second.txt"), "status");
        assertThat(first.waitFor()).as(Files.readString(temp.resolve("first.txt"))).isZero();
        assertThat(second.waitFor()).as(Files.readString(temp.resolve("second.txt"))).isZero();
        assertThat(cli.postmasters()).isEqualTo(1);
    }

    @Test
    void dbStopRefusesAnExternalDatabase() {
        Cli.Result refused = cli.run("--db", "jdbc:postgresql://127.0.0.1:1/elsewhere", "db", "stop");
        assertThat(refused.exitCode()).isEqualTo(DrydockControl.BAD_INPUT);
        assertThat(refused.stdout()).contains("db stop manages only the local database under " + temp.resolve("home"));
        assertThat(temp.resolve("home")).doesNotExist();
    }

    @Test
    void aHomeOthersMayWriteToIsRefusedAndNothingStarts() throws Exception {
        Path home = temp.resolve("home");
        Files.createDirectory(home);
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxrwxrwx"));
        Cli.Result refused = cli.run("status");
        assertThat(refused.exitCode()).as(refused.stdout()).isEqualTo(DrydockControl.BAD_INPUT);
        assertThat(refused.stdout()).contains(home.toString()).contains("may be written by other users");
        try (var entries = Files.list(home)) {
            assertThat(entries).isEmpty();
        }
    }

    @Test
    void anOldPasswordlessDataDirectoryIsMovedAsideNotServed() throws Exception {
        assertThat(cli.run("status").exitCode()).isZero();
        cli.stopServer();
        // what the zonky-era server left: trust logins and no password files
        Path home = temp.resolve("home");
        Files.writeString(home.resolve("pgdata/pg_hba.conf"), "host all all 127.0.0.1/32 trust\n");
        Files.delete(home.resolve("db.password"));

        Cli.Result result = cli.run("status");
        assertThat(result.exitCode()).as(result.stdout()).isZero();
        assertThat(result.stdout()).contains("moved the old local database").contains("pgdata.insecure-");
        try (var entries = Files.list(home)) {
            assertThat(entries.map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith("pgdata.insecure-"));
        }
        assertThat(Files.readAllLines(home.resolve("pgdata/pg_hba.conf"))).filteredOn(l -> !l.startsWith("#"))
                .containsExactly("host all all 127.0.0.1/32 scram-sha-256");
    }
}
