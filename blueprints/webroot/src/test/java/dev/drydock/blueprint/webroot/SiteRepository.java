package dev.drydock.blueprint.webroot;

import dev.drydock.testing.GitRepository;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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
        GitRepository repo = GitRepository.init(dir);
        for (int v = 1; v <= versions; v++) {
            repo.write("index.html", "version " + v + "\n");
            repo.write("docs/page.html", "docs of version " + v + "\n");
            repo.git("add", "--all");
            repo.git("commit", "--quiet", "-m", "version " + v);
            repo.git("tag", "v" + v);
            commits.add(repo.git("rev-parse", "HEAD").strip());
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
}
