package dev.drydock.benchmarks;

import dev.drydock.testing.GitRepository;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

/**
 * The small web site the sandcastle benchmark serves, a real git repository made in a temporary
 * directory: {@value #FILES} files in a few directories (about 1.5 KB each, some 300 KB in all), a
 * first commit adding them and {@value #COMMITS} - 1 more changing a few each, every commit tagged
 * {@code vN}; {@code index.html} names its version, so a GET shows which commit is served. Later
 * commits ({@link #commit}) stand for new work pushed while the benchmark runs.
 */
final class SandcastleRepository {
    static final int FILES = 200;
    static final int COMMITS = 50;
    private static final String[] DIRECTORIES = {"docs", "docs/guide", "blog", "css", "js", "img"};
    private final GitRepository repo;
    private final Random random = new Random(42);
    private final Map<String, String> indexByRef = new HashMap<>();

    private SandcastleRepository(GitRepository repo) {
        this.repo = repo;
    }

    static SandcastleRepository generate(Path dir) {
        SandcastleRepository repo = new SandcastleRepository(GitRepository.init(dir));
        for (int i = 1; i < FILES; i++) {
            repo.write(DIRECTORIES[i % DIRECTORIES.length] + "/page-" + i + ".html");
        }
        for (int v = 1; v <= COMMITS; v++) {
            for (int k = 0; k < (v == 1 ? 0 : 5); k++) {
                int i = 1 + repo.random.nextInt(FILES - 1);
                repo.write(DIRECTORIES[i % DIRECTORIES.length] + "/page-" + i + ".html");
            }
            repo.commit("v" + v);
        }
        return repo;
    }

    /** Commits a change of {@code index.html} and three other files and tags it {@code tag}; returns the commit id. */
    String commit(String tag) {
        String index = "<!doctype html>\n<title>sandcastle " + tag + "</title>\n<p>" + tag + " of the site</p>\n";
        repo.write("index.html", index);
        for (int k = 0; k < 3; k++) {
            int i = 1 + random.nextInt(FILES - 1);
            write(DIRECTORIES[i % DIRECTORIES.length] + "/page-" + i + ".html");
        }
        repo.git("add", "--all");
        repo.git("commit", "--quiet", "-m", tag);
        repo.git("tag", tag);
        indexByRef.put(tag, index);
        return repo.git("rev-parse", "HEAD").strip();
    }

    /** What {@code GET /} must answer for a lease of tag {@code ref}. */
    String index(String ref) {
        return indexByRef.get(ref);
    }

    String url() {
        return url(repo.dir());
    }

    /** Bytes in the repository's directory, {@code .git} included. */
    long bytes() {
        try (Stream<Path> files = Files.walk(repo.dir())) {
            return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String url(Path repository) {
        return repository.toUri().toString().replaceFirst("^file:/+", "file:///");
    }

    /** A bare clone of this repository at {@code target}: a repository of its own, at a URL no clone has seen. */
    void bareCloneTo(Path target) {
        GitRepository.run(repo.dir(), "clone", "--bare", "--quiet", "--", url(), target.toString());
    }

    private void write(String name) {
        StringBuilder text = new StringBuilder("<!doctype html>\n<title>" + name + "</title>\n");
        while (text.length() < 1_500) {
            text.append("<p>").append(Long.toString(random.nextLong(), 36)).append(' ').append(Long.toString(random.nextLong(), 36))
                    .append("</p>\n");
        }
        repo.write(name, text.toString());
    }
}
