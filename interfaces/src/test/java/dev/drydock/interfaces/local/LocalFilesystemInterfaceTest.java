package dev.drydock.interfaces.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drydock.api.FileEntry.Kind;
import dev.drydock.api.FileEntry;
import dev.drydock.api.FileNotFoundInLeaseException;
import dev.drydock.api.FilesystemInterface;
import dev.drydock.api.InvalidRequestException;
import dev.drydock.api.PathOutsideRootException;
import dev.drydock.interfaces.DirectoriesAndPermissionsContract;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LocalFilesystemInterfaceTest implements DirectoriesAndPermissionsContract {
    private static final String PROBE = "drydock-escape-probe";

    @TempDir
    Path lease;

    @TempDir
    Path outside;

    private LocalFilesystemInterface files;

    @BeforeEach
    void setUp() throws IOException {
        files = new LocalFilesystemInterface(lease);
        Files.writeString(outside.resolve("secret.txt"), "secret");
    }

    @Test
    void writeThenReadRoundTripsAndCreatesParentDirectories() {
        byte[] content = "hello\0world\n".getBytes(StandardCharsets.UTF_8);

        files.write("a/b/c.txt", content);

        assertThat(files.read("a/b/c.txt")).isEqualTo(content);
        assertThat(lease.resolve("a/b/c.txt")).hasBinaryContent(content);
        assertThat(files.exists("a/b")).isTrue();
    }

    @Test
    void writeReplacesAnExistingFileAndLeavesNoTemporaryFiles() {
        files.write("dir/file.txt", "old content that is longer".getBytes(StandardCharsets.UTF_8));

        files.write("dir/file.txt", "new".getBytes(StandardCharsets.UTF_8));

        assertThat(files.read("dir/file.txt")).asString(StandardCharsets.UTF_8).isEqualTo("new");
        assertThat(files.list("dir")).extracting(FileEntry::path).containsExactly("dir/file.txt");
    }

    @Test
    void largeStreamedWriteRoundTripsWithoutClosingTheSource() throws IOException {
        byte[] content = new byte[20 * 1024 * 1024];
        new Random(7).nextBytes(content);
        CloseTrackingInput source = new CloseTrackingInput(content);

        files.write("big/blob.bin", source);

        assertThat(source.closed).isFalse();
        assertThat(source.available()).isZero();
        try (InputStream in = files.open("big/blob.bin")) {
            assertThat(in.readAllBytes()).isEqualTo(content);
        }
    }

    @Test
    void listIsSortedByPathAndReportsKindsWithoutFollowingLinks() throws IOException {
        files.write("b.txt", "12345".getBytes(StandardCharsets.UTF_8));
        files.write("a/nested.txt", new byte[0]);
        Files.createSymbolicLink(lease.resolve("c-link"), Path.of("b.txt"));
        Files.createSymbolicLink(lease.resolve("0-dir-link"), Path.of("a"));

        List<FileEntry> root = files.list("");

        assertThat(root).extracting(FileEntry::path).containsExactly("0-dir-link", "a", "b.txt", "c-link");
        assertThat(root).extracting(FileEntry::kind).containsExactly(Kind.OTHER, Kind.DIRECTORY, Kind.FILE, Kind.OTHER);
        assertThat(root.get(2).size()).isEqualTo(5);
        assertThat(root.get(2).modified()).isNotNull();
        assertThat(files.list("a")).extracting(FileEntry::path).containsExactly("a/nested.txt");
    }

    @Test
    void listOfAMissingDirectoryNamesIt() {
        assertThatThrownBy(() -> files.list("no/such/dir"))
                .isInstanceOf(FileNotFoundInLeaseException.class)
                .hasMessageContaining("no/such/dir");
    }

    @Test
    void existsReportsFilesAndDirectories() {
        files.write("d/f.txt", new byte[] {1});

        assertThat(files.exists("d/f.txt")).isTrue();
        assertThat(files.exists("d")).isTrue();
        assertThat(files.exists("")).isTrue();
        assertThat(files.exists("d/missing")).isFalse();
        assertThat(files.exists("d/f.txt/under-a-file")).isFalse();
    }

    @Test
    void deleteRemovesAFileAndReportsWhetherItExisted() {
        files.write("f.txt", new byte[] {1});

        assertThat(files.delete("f.txt")).isTrue();
        assertThat(files.exists("f.txt")).isFalse();
        assertThat(files.delete("f.txt")).isFalse();
    }

    @Test
    void deleteRemovesADirectoryTree() {
        files.write("tree/a/b/one.txt", new byte[] {1});
        files.write("tree/two.txt", new byte[] {2});

        assertThat(files.delete("tree")).isTrue();

        assertThat(lease.resolve("tree")).doesNotExist();
        assertThat(files.list("")).isEmpty();
    }

    @Test
    void deletingASymbolicLinkLeavesItsTarget() throws IOException {
        Files.createSymbolicLink(lease.resolve("to-secret"), outside.resolve("secret.txt"));
        Files.createSymbolicLink(lease.resolve("to-outside-dir"), outside);

        assertThat(files.delete("to-secret")).isTrue();
        assertThat(files.delete("to-outside-dir")).isTrue();

        assertThat(lease.resolve("to-secret")).doesNotExist();
        assertThat(lease.resolve("to-outside-dir")).doesNotExist();
        assertThat(outside.resolve("secret.txt")).hasContent("secret");
    }

    @Test
    void deletingATreeDoesNotFollowLinksInsideIt() throws IOException {
        files.write("tree/inside.txt", new byte[] {1});
        Files.createSymbolicLink(lease.resolve("tree/to-outside-dir"), outside);
        Files.createSymbolicLink(lease.resolve("tree/to-secret"), outside.resolve("secret.txt"));

        assertThat(files.delete("tree")).isTrue();

        assertThat(lease.resolve("tree")).doesNotExist();
        assertThat(snapshot(outside)).isEqualTo(Map.of("secret.txt", "secret"));
    }

    @Test
    void symbolicLinksThatStayInsideAreFollowed() throws IOException {
        files.write("real/file.txt", "inside".getBytes(StandardCharsets.UTF_8));
        Files.createSymbolicLink(lease.resolve("alias.txt"), Path.of("real/file.txt"));
        Files.createSymbolicLink(lease.resolve("alias-dir"), lease.resolve("real"));

        assertThat(files.read("alias.txt")).asString(StandardCharsets.UTF_8).isEqualTo("inside");
        assertThat(files.list("alias-dir")).extracting(FileEntry::path).containsExactly("alias-dir/file.txt");
        files.write("alias-dir/new.txt", new byte[] {9});
        assertThat(lease.resolve("real/new.txt")).exists();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "../" + PROBE,
        "/etc/passwd",
        "/" + PROBE,
        "a/../../" + PROBE,
        "to-secret",
        "to-outside-dir/secret.txt",
        "to-outside-dir/" + PROBE,
        "to-outside-dir/sub/" + PROBE,
        "dangling-outside",
        "a/to-parent/" + PROBE,
    })
    void pathsLeavingTheLeaseAreRefusedAndNothingOutsideChanges(String path) throws IOException {
        Files.createDirectories(lease.resolve("a"));
        Files.createSymbolicLink(lease.resolve("to-secret"), outside.resolve("secret.txt"));
        Files.createSymbolicLink(lease.resolve("to-outside-dir"), outside);
        Files.createSymbolicLink(lease.resolve("dangling-outside"), outside.resolve(PROBE));
        Files.createSymbolicLink(lease.resolve("a/to-parent"), Path.of("../.."));
        Map<String, String> before = snapshot(outside);

        List<ThrowingCallable> operations = List.of(
                () -> files.read(path),
                () -> files.open(path).close(),
                () -> files.write(path, "pwned".getBytes(StandardCharsets.UTF_8)),
                () -> files.write(path, new ByteArrayInputStream("pwned".getBytes(StandardCharsets.UTF_8))),
                () -> files.list(path),
                () -> files.exists(path));
        for (ThrowingCallable operation : operations) {
            assertThatThrownBy(operation).isInstanceOf(PathOutsideRootException.class).hasMessageContaining(path);
        }

        assertThat(snapshot(outside)).isEqualTo(before);
        assertThat(lease.getParent().resolve(PROBE)).doesNotExist();
        assertThat(lease.resolve("a/to-parent").toRealPath().resolve(PROBE)).doesNotExist();
    }

    @ParameterizedTest
    @ValueSource(strings = {"../" + PROBE, "/etc/passwd", "a/../../" + PROBE, "to-outside-dir/secret.txt", "a/to-parent/" + PROBE})
    void deleteThroughAPathLeavingTheLeaseIsRefused(String path) throws IOException {
        Files.createDirectories(lease.resolve("a"));
        Files.createSymbolicLink(lease.resolve("to-outside-dir"), outside);
        Files.createSymbolicLink(lease.resolve("a/to-parent"), Path.of("../.."));

        assertThatThrownBy(() -> files.delete(path)).isInstanceOf(PathOutsideRootException.class);

        assertThat(outside.resolve("secret.txt")).hasContent("secret");
        assertThat(Path.of("/etc/passwd")).exists();
    }

    @Test
    void missingFileErrorNamesThePath() {
        assertThatThrownBy(() -> files.read("no/such.txt"))
                .isInstanceOf(FileNotFoundInLeaseException.class)
                .hasMessageContaining("no/such.txt")
                .satisfies(e -> assertThat(((FileNotFoundInLeaseException) e).path()).isEqualTo("no/such.txt"));
        assertThatThrownBy(() -> files.open("no/such.txt"))
                .isInstanceOf(FileNotFoundInLeaseException.class)
                .hasMessageContaining("no/such.txt");
    }

    @Test
    void aLoopOfSymbolicLinksIsRefusedNotFollowedForever() throws IOException {
        Files.createSymbolicLink(lease.resolve("ping"), Path.of("pong"));
        Files.createSymbolicLink(lease.resolve("pong"), Path.of("ping"));

        assertThatThrownBy(() -> files.read("ping/file.txt"))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("too many levels of symbolic links");
        assertThatThrownBy(() -> files.write("pong", new byte[0]))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("too many levels of symbolic links");
    }

    @Test
    void pathsWithANulCharacterAreRefused() {
        assertThatThrownBy(() -> files.write("a\0b", new byte[0])).isInstanceOf(InvalidRequestException.class);
        assertThat(files.list("")).isEmpty();
    }

    @Test
    void theLeaseDirectoryItselfCannotBeDeletedOrOverwritten() {
        assertThatThrownBy(() -> files.delete("")).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> files.delete(".")).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> files.write("", new byte[0])).isInstanceOf(InvalidRequestException.class);
        assertThat(lease).isDirectory();
    }

    private static Map<String, String> snapshot(Path directory) throws IOException {
        Map<String, String> contents = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(directory)) {
            for (Path path : walk.filter(p -> !p.equals(directory)).toList()) {
                String relative = directory.relativize(path).toString();
                contents.put(relative, Files.isDirectory(path) ? "<dir>" : Files.readString(path));
            }
        }
        return contents;
    }

    private static final class CloseTrackingInput extends ByteArrayInputStream {
        volatile boolean closed;

        CloseTrackingInput(byte[] content) {
            super(content);
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    @Override
    public FilesystemInterface files() {
        return files;
    }

    @Override
    public Path leaseDirectory() {
        return lease;
    }

    @Override
    public Path outsideDirectory() {
        return outside;
    }
}
