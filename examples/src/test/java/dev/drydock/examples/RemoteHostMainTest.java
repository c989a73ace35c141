package dev.drydock.examples;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.testing.PostgresExtension;
import dev.drydock.testing.SshHost;
import dev.drydock.testing.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Runs {@link RemoteHostMain} against a real sshd on 127.0.0.1 and a test database, and checks what it printed. */
@ExtendWith(PostgresExtension.class)
class RemoteHostMainTest {
    @Test
    void leasesARemoteHostRunsACommandMovesAFileAndReleases(TestDatabase db) throws InterruptedException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (SshHost host = SshHost.start()) {
            RemoteHostMain.Pool pool = new RemoteHostMain.Pool(host.host(), host.port(), host.user(), host.hostKeyFingerprint(),
                    "file:" + host.userPrivateKeyPath());

            RemoteHostMain.run(db.dataSource(), pool, new PrintStream(buffer, true, UTF_8));
        }

        assertThat(buffer.toString(UTF_8))
                .containsPattern("lease \\d+ is active on resource \\d+: host h0 \\(" + System.getProperty("os.name"))
                .contains("uname -a: " + System.getProperty("os.name"))
                .contains("hello.txt read back: hello from drydock over ssh")
                .containsPattern("lease \\d+ is DESTROYED");
    }
}
