package dev.drydock.blueprint.webroot;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real git repository of a small web site, one commit per version: {@code index.html} says
 * "version N" and {@code docs/page.html} says "docs of version N"; each commit is tagged {@code vN},
 * and {@code main} is at the last.
 */
final class SiteRepository {
    private final Path dir;
    private final List<String> commits = new ArrayList<>();

    SiteRepository(Path dir, int versions) {
        this.dir = dir;
        git("init", "--quiet", "--initial-branch=main");
        for (int v = 1; v <= versions; v++) {
            write("index.html", "version " + v + "\n");
            write("docs/page.html", "docs of version " + v + "\n");
            git("add", "--all");
            git("-c", "user.name=Test", "-c", "user.email=test@example.invalid", "commit", "--quiet", "-m", "version " + v);
            git("tag", "v" + v);
            commits.add(git("rev-parse", "HEAD").strip());
        }
    }

    String url() {
        return dir.toUri().toString().replaceFirst("^file:/+", "file:///");
    }

    /** The commit of version {@code v}, from 1. */
    String commit(int v) {
        return commits.get(v - 1);
    }

    static String indexOf(int v) {
        return "version " + v + "\n";
    }

    private void write(String name, String text) {
        try {
            Path file = dir.resolve(name);
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String git(String... args) {
        List<String> argv = new ArrayList<>(List.of("git"));
        argv.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", argv) + " failed: " + out);
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
