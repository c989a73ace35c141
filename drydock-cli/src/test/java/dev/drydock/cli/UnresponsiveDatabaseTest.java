package dev.drydock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * drydock-control against a database that is not there fails within seconds, naming the URL without
 * its password and saying what to check, instead of hanging or printing a stack trace.
 */
class UnresponsiveDatabaseTest {
    /** Generous for a 5 s bound: this is a functional limit (the JVM starts too), not a benchmark. */
    private static final Duration BOUND = Duration.ofSeconds(12);

    @Test
    void aServerThatAcceptsAndNeverAnswersFailsTheCommandWithinSeconds() throws IOException {
        try (SilentServer server = new SilentServer()) {
            assertFailsNamingTheUrl(server.port());
        }
    }

    @Test
    void aPortWithNothingListeningFailsTheCommandWithinSeconds() throws IOException {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort(); // free once closed: nothing listens there
        }
        assertFailsNamingTheUrl(port);
    }

    private static void assertFailsNamingTheUrl(int port) {
        String url = "jdbc:postgresql://127.0.0.1:" + port + "/x";
        Program.Result status = Program.run(DrydockControl.class, Duration.ofSeconds(60),
                "--db", url + "?user=u&password=SECRET", "status");

        assertThat(status.took()).as("time to fail").isLessThan(BOUND);
        assertThat(status.exitCode()).as(status.stderr()).isEqualTo(1);
        assertThat(status.stderrLines()).as(status.stderr()).hasSize(1);
        assertThat(status.stderr())
                .startsWith("status: the database at " + url + "?user=u is not answering (")
                .contains("check that PostgreSQL is running and reachable")
                .doesNotContain("SECRET", "Exception", "\tat ");
        assertThat(status.stdout()).doesNotContain("SECRET");
    }
}
