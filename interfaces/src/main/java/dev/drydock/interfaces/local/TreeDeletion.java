package dev.drydock.interfaces.local;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Deletes a directory and everything in it without following symbolic links: a link inside the
 * tree is removed as a link, and whatever it points to is left alone. Public so that blueprints
 * cleaning up their own directories use the same rule.
 */
public final class TreeDeletion {
    private TreeDeletion() {}

    /** Deletes {@code directory} and its contents; a tree that is already gone is fine. */
    public static void delete(Path directory) throws IOException {
        // walkFileTree without FOLLOW_LINKS reports a link to a directory as a file, never enters it.
        Files.walkFileTree(directory, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE; // deleted by someone else meanwhile: the goal holds
                }
                throw e;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.deleteIfExists(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
