package dev.drydock.cli;

import dev.drydock.api.DrydockException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The sandcastle demo's git repository, and its tests': one commit per version, each tagged
 * {@code vN}, whose {@code index.html} says "version N". Git runs without the user's or the system's
 * configuration, so no signing, hook or default branch of theirs changes what it does.
 */
public final class DemoRepository {
    private final Path dir;
    private final List<String> commits = new ArrayList<>();

    /** Makes the repository in the empty directory {@code dir}. */
    public DemoRepository(Path dir, int versions) {
        this.dir = dir;
        git("init", "--quiet");
        for (int v = 1; v <= versions; v++) {
            try {
                Files.writeString(dir.resolve("index.html"), indexOf(v));
            } catch (IOException e) {
                throw new UncheckedIOException("could not write " + dir.resolve("index.html"), e);
            }
            git("add", "index.html");
            git("-c", "user.name=Drydock demo", "-c", "user.email=demo@drydock.invalid", "commit", "--quiet", "-m", "version " + v);
            git("tag", tag(v));
            commits.add(git("rev-parse", "HEAD").strip());
        }
    }

    public static String tag(int v) {
        return "v" + v;
    }

    public static String indexOf(int v) {
        return "version " + v + "\n";
    }

    public String url() {
        return dir.toUri().toString();
    }

    /** The commit of version {@code v}, from 1. */
    public String commit(int v) {
        return commits.get(v - 1);
    }

    private String git(String... args) {
        List<String> argv = new ArrayList<>(List.of("git"));
        argv.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().put("GIT_CONFIG_NOSYSTEM", "1");
        builder.environment().put("GIT_CONFIG_GLOBAL", "/dev/null");
        try {
            Process p = builder.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new DrydockException("'" + String.join(" ", argv) + "' failed in " + dir + ": " + out.strip());
            }
            return out;
        } catch (IOException e) {
            throw new DrydockException("git could not be run (is it installed?): the demo makes its repository with git;"
                    + " install git and put it on the PATH");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DrydockException("interrupted while running " + String.join(" ", argv));
        }
    }
}
