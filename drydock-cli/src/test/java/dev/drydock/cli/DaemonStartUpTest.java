package dev.drydock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.testing.Await;
import dev.drydock.testing.ClassPostgres;
import dev.drydock.testing.JavaProcess;
import dev.drydock.testing.RestartablePostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * drydock-taskmaster at start-up: bad input is refused in one line with exit 2, as drydock-control
 * does; a database that is not there yet is waited for, one log line per attempt and no stack
 * trace, and work starts when it answers; SIGTERM still stops a daemon that is waiting.
 */
class DaemonStartUpTest {
    /** Nothing listens here; bad input must be refused before it would be tried. */
    private static final String NOWHERE = "jdbc:postgresql://127.0.0.1:1/none?user=u";

    @RegisterExtension
    static final ClassPostgres classServer = new ClassPostgres();

    /** Each case in a JVM of its own, all started at once: the cases are independent, and a JVM's start-up is most of each. */
    private static final Duration LIMIT = Duration.ofSeconds(120);

    @TempDir
    static Path temp;

    @Test
    void badInputExitsTwoWithOneLineAndNoStackTrace() {
        Map<List<String>, String> refusals = new LinkedHashMap<>();
        refusals.put(List.of("--db", "garbage"), "--db");
        refusals.put(List.of("--db", NOWHERE, "--task-lease", "0s"), "--task-lease must be at least 1s");
        refusals.put(List.of("--db", NOWHERE, "--threads", "0"), "--threads must be 1 to 1000, was 0");
        refusals.put(List.of("--db", NOWHERE, "--task-lease", "soon"), "'soon' is not a duration");
        refusals.put(List.of("--db", NOWHERE, "--http", "8080"), "--http must be HOST:PORT, e.g. 127.0.0.1:8080, was '8080'");
        refusals.put(List.of("--db", NOWHERE, "--http", "127.0.0.1:http"), "--http must be HOST:PORT with a numeric port");
        refusals.put(List.of("--db", NOWHERE, "--http", "127.0.0.1:70000"), "with a port from 0 to 65535, was '127.0.0.1:70000'");
        List<List<String>> cases = List.copyOf(refusals.keySet());
        List<Program.Result> results = Program.runAll(DrydockTaskmaster.class, LIMIT, cases);
        for (int i = 0; i < cases.size(); i++) {
            List<String> args = cases.get(i);
            Program.Result r = results.get(i);
            assertThat(r.exitCode()).as("%s: %s", args, r.stderr()).isEqualTo(2);
            assertThat(r.stderrLines()).as("%s", args).hasSize(1);
            assertThat(r.stderr()).startsWith("drydock-taskmaster: ").contains(refusals.get(args)).doesNotContain("Exception", "\tat ");
        }
    }

    @Test
    void waitsForTheDatabaseSayingSoOnceAnAttemptAndWorksALeaseWhenItAnswers() throws Exception {
        RestartablePostgres server = classServer.server();
        String database = server.createDatabase("waits");
        server.stop();
        String shown = database + "?user=" + server.user();
        String url = shown + "&password=" + server.password();
        Path log = Files.createTempFile(temp, "daemon-waits", ".log");
        Process daemon = JavaProcess.start(DrydockTaskmaster.class, log, List.of("--db", url, "--threads", "4"));
        try {
            Await.until("two start-up attempts", Duration.ofSeconds(60), () -> retryLines(log).size() >= 2);
            server.start();
            Await.until("the daemon to start work", Duration.ofSeconds(90), () -> read(log).contains("running with 4 threads"));

            Path root = Files.createTempDirectory(temp, "daemon-waits-hosts");
            Cli cli = new Cli(url, temp);
            Cli.Result created = cli.run("blueprint", "create", "--type", "local-host", "--name", "pool", "--set", "root=" + root,
                    "--set", "capacity=1", "--limit", "1");
            assertThat(created.exitCode()).as(created.stderr()).isZero();
            Cli.Result leased = cli.run("lease", "--type", "host", "--json");
            assertThat(leased.exitCode()).as(leased.stderr()).isZero();
            assertThat(Cli.jsonString(leased.stdout(), "status")).isEqualTo("ACTIVE");
        } finally {
            daemon.destroy(); // SIGTERM
            assertThat(daemon.waitFor(60, TimeUnit.SECONDS)).as("the daemon stopped").isTrue();
        }
        String output = read(log);
        assertThat(retryLines(log)).as(output).allSatisfy(line -> assertThat(line)
                .matches(".* database at \\Q" + shown + "\\E not available \\([^)]+\\); retrying in [0-9.]+ s"));
        assertThat(output).as("the password is never logged").doesNotContain(server.password());
        assertThat(output).doesNotContain("\tat ", "Exception", "Caused by");
    }

    @Test
    void aLoginDatabaseOrPrivilegeTheServerRefusesEndsTheDaemonWithOneLineInsteadOfWaiting() throws Exception {
        RestartablePostgres server = classServer.server();
        String base = server.jdbcUrl();
        // a database the role may log in to but, like any non-owner since PostgreSQL 15, not create tables in
        String notYours = server.createDatabase("notyours");
        try (Connection c = DriverManager.getConnection(base + "?user=" + server.user() + "&password=" + server.password());
             Statement s = c.createStatement()) {
            s.execute("CREATE ROLE visitor LOGIN PASSWORD 'visitor-pw'");
        }
        // the refusals as the cases above: independent JVMs, started at once
        List<List<String>> cases = List.of(List.of("--db", base + "?user=" + server.user() + "&password=wrong"),
                List.of("--db", server.jdbcUrl("missing") + "?user=" + server.user() + "&password=" + server.password()),
                List.of("--db", notYours + "?user=visitor&password=visitor-pw"));
        List<Program.Result> results = Program.runAll(DrydockTaskmaster.class, LIMIT, cases);
        assertEndsWithExitOne(cases.get(0), results.get(0), "refused the login (SQLSTATE 28P01); check the user and password", "wrong");
        assertEndsWithExitOne(cases.get(1), results.get(1), "does not exist (SQLSTATE 3D000); create it or correct --db/DRYDOCK_DB_URL",
                server.password());
        assertEndsWithExitOne(cases.get(2), results.get(2), "lacks a privilege Drydock needs (SQLSTATE 42501)", "visitor-pw");
    }

    private static void assertEndsWithExitOne(List<String> args, Program.Result r, String says, String secret) {
        assertThat(r.exitCode()).as("%s: %s", args, r.stderr()).isEqualTo(1);
        assertThat(r.stderr()).contains("drydock-taskmaster: could not ").contains(says).doesNotContain("retrying in", secret, "\tat ");
        assertThat(MessageScan.leak(r.stderr())).as(r.stderr()).isEmpty();
    }

    @Test
    void sigtermStopsADaemonThatIsWaitingForTheDatabase() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort(); // free once closed: nothing listens there
        }
        Path log = Files.createTempFile(temp, "daemon-stopped", ".log");
        Process daemon = JavaProcess.start(DrydockTaskmaster.class, log,
                List.of("--db", "jdbc:postgresql://127.0.0.1:" + port + "/x?user=u&password=SECRET"));
        Await.until("a start-up attempt", Duration.ofSeconds(60), () -> !retryLines(log).isEmpty());
        daemon.destroy(); // SIGTERM
        assertThat(daemon.waitFor(20, TimeUnit.SECONDS)).as("stopped while waiting; log: %s", read(log)).isTrue();
        assertThat(read(log)).doesNotContain("SECRET", "\tat ", "running with");
    }

    private static List<String> retryLines(Path log) {
        return read(log).lines().filter(l -> l.contains("retrying in")).toList();
    }

    private static String read(Path log) {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
