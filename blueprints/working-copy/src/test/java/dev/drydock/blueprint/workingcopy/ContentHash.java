package dev.drydock.blueprint.workingcopy;

import dev.drydock.api.FileEntry;
import dev.drydock.api.FilesystemInterface;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * A SHA-256 over every file of a tree, path and content, in path order: equal for two trees only
 * when they hold the same files with the same contents. Git's own {@code .git} entry is left out.
 */
final class ContentHash {
    private ContentHash() {}

    static String of(Map<String, String> files) {
        Map<String, byte[]> bytes = new TreeMap<>();
        files.forEach((path, text) -> bytes.put(path, text.getBytes(StandardCharsets.UTF_8)));
        return hash(bytes);
    }

    /** The hash of the files the interface shows, read through it. */
    static String of(FilesystemInterface files) {
        Map<String, byte[]> bytes = new TreeMap<>();
        collect(files, "", bytes);
        return hash(bytes);
    }

    private static void collect(FilesystemInterface files, String directory, Map<String, byte[]> into) {
        for (FileEntry entry : files.list(directory)) {
            if (entry.path().equals(".git")) {
                continue;
            }
            if (entry.kind() == FileEntry.Kind.DIRECTORY) {
                collect(files, entry.path(), into);
            } else {
                into.put(entry.path(), files.read(entry.path()));
            }
        }
    }

    private static String hash(Map<String, byte[]> files) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            files.forEach((path, content) -> {
                sha.update(path.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
                sha.update(Long.toString(content.length).getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
                sha.update(content);
            });
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
