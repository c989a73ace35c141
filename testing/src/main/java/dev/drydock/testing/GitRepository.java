package dev.drydock.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real git repository in a directory, for fixtures and benchmarks that need one, driven by the git
 * command with a fixed identity and without the user's or the system's configuration, so that
 * commits come out the same on every machine.
 */
public final class GitRepository {
    private final Path dir;

    private GitRepository(Path dir) {
        this.dir = dir;
    }

    /** A new repository in {@code dir} (made if missing), on an unborn {@code main}. */
    public static GitRepository init(Path dir) {
        run(dir, "init", "--quiet", "--initial-branch=main");
        return new GitRepository(dir);
    }

    public Path dir() {
        return dir;
    }

    /** Runs {@code git ARGS} in the repository; returns what it printed. */
    public String git(String... args) {
        return run(dir, args);
    }

    /** Writes {@code text} to the file {@code relative} of the work tree, making its directories. */
    public void write(String relative, String text) {
        try {
            Path file = dir.resolve(relative);
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs {@code git ARGS} in {@code in} (made if missing) as this class runs every git command; returns what it printed. */
    public static String run(Path in, String... args) {
        List<String> argv = new ArrayList<>(List.of("git", "-c", "user.name=Test", "-c", "user.email=test@example.com",
                "-c", "commit.gpgsign=false", "-c", "tag.gpgsign=false"));
        argv.addAll(List.of(args));
        try {
            Files.createDirectories(in);
            ProcessBuilder pb = new ProcessBuilder(argv).directory(in.toFile()).redirectErrorStream(true);
            pb.environment().put("GIT_CONFIG_GLOBAL", "/dev/null");
            pb.environment().put("GIT_CONFIG_NOSYSTEM", "1");
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("git " + String.join(" ", args) + " failed in " + in + ": " + out);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
