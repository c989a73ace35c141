package dev.drydock.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a fixture's clean-up relies on: the whole tree goes, closed directories included, and nothing a link points to. */
class TempFilesTest {
    @TempDir
    Path temp;

    @Test
    void deletesATreeWithClosedAndReadOnlyDirectoriesButNotWhatItsLinksPointTo() throws Exception {
        Path outside = Files.writeString(Files.createDirectory(temp.resolve("outside")).resolve("kept.txt"), "kept");
        Path tree = Files.createDirectory(temp.resolve("tree"));
        Path readOnly = Files.createDirectories(tree.resolve("read-only/sub"));
        Files.writeString(readOnly.resolve("file.txt"), "x");
        Path closed = Files.createDirectory(tree.resolve("closed"));
        Files.writeString(closed.resolve("file.txt"), "x");
        Files.createSymbolicLink(tree.resolve("link-to-outside"), outside.getParent());
        Files.createSymbolicLink(readOnly.resolve("link-to-file"), outside);
        Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("r-x------"));
        Files.setPosixFilePermissions(closed, PosixFilePermissions.fromString("---------"));

        TempFiles.deleteTree(tree);

        assertThat(tree).doesNotExist();
        assertThat(outside).as("a link is removed, not followed").hasContent("kept");
    }

    @Test
    void aTreeThatIsGoneOrAFileIsFine() throws Exception {
        TempFiles.deleteTree(temp.resolve("never-made"));
        Path file = Files.writeString(temp.resolve("file.txt"), "x");

        TempFiles.deleteTree(file);

        assertThat(file).doesNotExist();
    }

    @Test
    void aNewDirectoryIsOnlyItsUsers() throws Exception {
        Path made = TempFiles.directory("drydock-tempfiles-test");
        try {
            assertThat(made).isDirectory().hasParent(Path.of(System.getProperty("java.io.tmpdir")));
            assertThat(made.getFileName().toString()).startsWith("drydock-tempfiles-test");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(made))).isEqualTo("rwx------");
        } finally {
            TempFiles.deleteTree(made);
        }
        assertThat(made).doesNotExist();
    }
}
