package dev.drydock.blueprint.workingcopy;

import dev.drydock.testing.GitRepository;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A real git repository made with the git command: five commits on {@code main}, each with files of
 * its own (one only that commit has, and one in a subdirectory), reached by five refs of every kind:
 * a lightweight tag, an annotated tag, a whole commit id, a branch behind {@code main}, and
 * {@code main}. Knows the exact files each ref's commit holds.
 */
final class TestRepository {
    final Path dir;
    /** Every commit's id, first to last. */
    final List<String> commits = new ArrayList<>();
    /** The five refs a lease may ask for, each naming a different commit, with that commit's id. */
    final Map<String, String> refs = new LinkedHashMap<>();
    private final Map<String, Map<String, String>> filesByCommit = new TreeMap<>();

    TestRepository(Path dir) {
        this.dir = dir;
        git("init", "--quiet", "--initial-branch=main");
        for (int i = 1; i <= 5; i++) {
            Map<String, String> files = new TreeMap<>();
            files.put("README", "a test repository\n");
            files.put("content.txt", "version " + i + "\n");
            files.put("only-" + i + ".txt", "only in commit " + i + "\n");
            files.put("dir/deep.txt", "deep " + i + "\n");
            replaceFiles(files);
            git("add", "--all");
            git("commit", "--quiet", "-m", "commit " + i);
            String id = git("rev-parse", "HEAD").strip();
            commits.add(id);
            filesByCommit.put(id, files);
        }
        git("tag", "v1", commits.get(0));
        git("tag", "-a", "-m", "release 2", "v2", commits.get(1));
        git("branch", "feature", commits.get(3));
        refs.put("v1", commits.get(0));
        refs.put("v2", commits.get(1));
        refs.put(commits.get(2), commits.get(2));
        refs.put("feature", commits.get(3));
        refs.put("main", commits.get(4));
    }

    String url() {
        return "file://" + dir.toAbsolutePath();
    }

    /** The files of {@code commit}, path to content. */
    Map<String, String> files(String commit) {
        return filesByCommit.get(commit);
    }

    /** Adds a commit on {@code main}, as a push to the repository would. */
    String commitOnMain(int version) {
        Map<String, String> files = new TreeMap<>(Map.of("README", "a test repository\n", "content.txt", "version " + version + "\n"));
        replaceFiles(files);
        git("add", "--all");
        git("commit", "--quiet", "-m", "commit " + version);
        String id = git("rev-parse", "HEAD").strip();
        filesByCommit.put(id, files);
        return id;
    }

    private void replaceFiles(Map<String, String> files) {
        try {
            try (var old = Files.list(dir)) {
                for (Path p : old.filter(p -> !p.getFileName().toString().equals(".git")).toList()) {
                    if (Files.isDirectory(p)) {
                        try (var inner = Files.list(p)) {
                            for (Path q : inner.toList()) {
                                Files.delete(q);
                            }
                        }
                    }
                    Files.delete(p);
                }
            }
            for (Map.Entry<String, String> f : files.entrySet()) {
                Path file = dir.resolve(f.getKey());
                Files.createDirectories(file.getParent());
                Files.writeString(file, f.getValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs git in the repository with a fixed identity and no user or system configuration. */
    String git(String... args) {
        return run(dir, args);
    }

    static String run(Path in, String... args) {
        return GitRepository.run(in, args);
    }
}
