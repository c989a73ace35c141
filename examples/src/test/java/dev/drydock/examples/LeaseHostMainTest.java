package dev.drydock.examples;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.testing.Await;
import dev.drydock.testing.PostgresExtension;
import dev.drydock.testing.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Runs {@link LeaseHostMain} on a test database and checks what it printed and what it left behind. */
@ExtendWith(PostgresExtension.class)
class LeaseHostMainTest {
    @Test
    void leasesAHostRunsACommandMovesAFileAndRemovesTheLeaseDirectory(TestDatabase db, @TempDir Path root) throws InterruptedException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();

        LeaseHostMain.run(db.dataSource(), root, new PrintStream(buffer, true, UTF_8));

        assertThat(buffer.toString(UTF_8))
                .containsPattern("lease \\d+ is active on resource \\d+")
                .contains("uname -a: " + System.getProperty("os.name"))
                .contains("hello.txt read back: hello from drydock")
                .containsPattern("lease \\d+ is DESTROYED");
        assertThat(root).as("the blueprint's host slot").isDirectoryContaining(p -> p.getFileName().toString().startsWith("resource-"));
        Await.until("no lease directory left under " + root, Duration.ofSeconds(30), () -> leaseDirectories(root).isEmpty());
    }

    private static List<Path> leaseDirectories(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            return paths.filter(p -> p.getFileName().toString().startsWith("lease-")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
