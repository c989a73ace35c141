package dev.drydock.examples;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.testing.PostgresExtension;
import dev.drydock.testing.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Runs {@link WorkingCopyMain} on a repository of one commit and checks that it printed that commit. */
@ExtendWith(PostgresExtension.class)
class WorkingCopyMainTest {
    @Test
    void checksOutTheRefAndRunsGitInTheCheckout(TestDatabase db, @TempDir Path repo, @TempDir Path root) throws Exception {
        git(repo, "init", "--quiet", "--initial-branch=main");
        Files.writeString(repo.resolve("README"), "hello\n");
        git(repo, "add", "README");
        git(repo, "commit", "--quiet", "-m", "first commit");
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();

        WorkingCopyMain.run(db.dataSource(), root, "file://" + repo, "main", new PrintStream(buffer, true, UTF_8));

        assertThat(buffer.toString(UTF_8)).containsPattern("lease \\d+ has ref main at commit [0-9a-f]{40}").contains(" first commit");
    }

    private static void git(Path dir, String... args) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of("git", "-c", "user.name=Example", "-c", "user.email=example@example.com",
                "-c", "commit.gpgsign=false"));
        argv.addAll(List.of(args));
        Process p = new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), UTF_8);
        assertThat(p.waitFor()).as("git " + String.join(" ", args) + ": " + out).isZero();
    }
}
