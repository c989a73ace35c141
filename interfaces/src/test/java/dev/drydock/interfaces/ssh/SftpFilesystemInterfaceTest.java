package dev.drydock.interfaces.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drydock.api.FileEntry.Kind;
import dev.drydock.api.FileEntry;
import dev.drydock.api.FileNotFoundInLeaseException;
import dev.drydock.api.FilesystemInterface;
import dev.drydock.api.InvalidRequestException;
import dev.drydock.api.PathOutsideRootException;
import dev.drydock.interfaces.DirectoriesAndPermissionsContract;
import dev.drydock.testing.SshHost;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SftpFilesystemInterfaceTest implements DirectoriesAndPermissionsContract {
    private static SshHost host;
    private static SshConnection connection;

    @TempDir
    Path lease;

    @TempDir
    Path outside;

    private SftpFilesystemInterface files;

    @BeforeAll
    static void startHost() {
        host = SshHost.start();
        connection = RemoteFixtures.connect(host);
    }

    @AfterAll
    static void stopHost() {
        connection.close();
        host.close();
    }

    @BeforeEach
    void setUp() throws IOException {
        files = new SftpFilesystemInterface(() -> connection, lease.toString());
        Files.writeString(outside.resolve("secret.txt"), "secret");
    }

    @Test
    void theLeaseDirectoryIsMadePrivateOnFirstUse() throws IOException {
        Files.setPosixFilePermissions(lease, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));

        files.write("a.txt", new byte[] {1});

        assertThat(Files.getPosixFilePermissions(lease)).isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
    }

    @Test
    void writeThenReadRoundTripsAndCreatesParentDirectories() {
        byte[] content = "hello\0world\n".getBytes(StandardCharsets.UTF_8);

        files.write("a/b/c.txt", content);

        assertThat(files.read("a/b/c.txt")).isEqualTo(content);
        assertThat(lease.resolve("a/b/c.txt")).hasBinaryContent(content);
        assertThat(files.exists("a/b")).isTrue();
        assertThat(files.exists("a/nothing")).isFalse();
    }

    @Test
    void writeReplacesAFileKeepingItsPermissionsAndLeavesNoTemporaryFiles() throws IOException {
        files.write("dir/run.sh", "old content that is longer".getBytes(StandardCharsets.UTF_8));
        Files.setPosixFilePermissions(lease.resolve("dir/run.sh"), java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-x---"));

        files.write("dir/run.sh", "new".getBytes(StandardCharsets.UTF_8));

        assertThat(lease.resolve("dir/run.sh")).hasContent("new");
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(lease.resolve("dir/run.sh"))))
                .isEqualTo("rwxr-x---");
        try (Stream<Path> entries = Files.list(lease.resolve("dir"))) {
            assertThat(entries.map(p -> p.getFileName().toString())).containsExactly("run.sh");
        }
    }

    @Test
    void streamsTwentyMebibytesBothWays() throws Exception {
        long size = 20L * 1024 * 1024;
        MessageDigest written = MessageDigest.getInstance("SHA-256");

        files.write("big/blob.bin", new DigestInputStream(randomStream(size), written));

        MessageDigest read = MessageDigest.getInstance("SHA-256");
        long count;
        try (InputStream in = new DigestInputStream(files.open("big/blob.bin"), read)) {
            count = in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        assertThat(count).isEqualTo(size);
        assertThat(Files.size(lease.resolve("big/blob.bin"))).isEqualTo(size);
        assertThat(read.digest()).isEqualTo(written.digest());
    }

    @Test
    void aStreamThatFailsMidUploadLeavesTheOldFileAndNoTemporaryFile() throws IOException {
        files.write("dir/data.bin", "old".getBytes(StandardCharsets.UTF_8));
        InputStream failing = new SequenceInputStream(randomStream(5L * 1024 * 1024), new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("the source went away");
            }
        });

        assertThatThrownBy(() -> files.write("dir/data.bin", failing)).hasRootCauseMessage("the source went away");

        assertThat(lease.resolve("dir/data.bin")).hasContent("old");
        try (Stream<Path> entries = Files.list(lease.resolve("dir"))) {
            assertThat(entries.map(p -> p.getFileName().toString())).containsExactly("data.bin");
        }
        files.write("dir/data.bin", "new".getBytes(StandardCharsets.UTF_8)); // the connection is still usable
        assertThat(files.read("dir/data.bin")).asString(StandardCharsets.UTF_8).isEqualTo("new");
    }

    @Test
    void listsEntriesSortedWithTheirKinds() throws IOException {
        files.write("d/b.txt", new byte[3]);
        files.write("d/a.txt", new byte[5]);
        files.write("d/sub/x", new byte[1]);
        Files.createSymbolicLink(lease.resolve("d/link"), lease.resolve("d/a.txt"));

        List<FileEntry> entries = files.list("d");

        assertThat(entries).extracting(FileEntry::path).containsExactly("d/a.txt", "d/b.txt", "d/link", "d/sub");
        assertThat(entries).extracting(FileEntry::kind).containsExactly(Kind.FILE, Kind.FILE, Kind.OTHER, Kind.DIRECTORY);
        assertThat(entries.get(0).size()).isEqualTo(5);
        assertThat(entries.get(0).modified()).isAfter(java.time.Instant.now().minusSeconds(600));
        assertThat(files.list("")).extracting(FileEntry::path).containsExactly("d");
        assertThatThrownBy(() -> files.list("d/a.txt")).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> files.list("missing")).isInstanceOf(FileNotFoundInLeaseException.class);
    }

    @Test
    void reportsMissingFilesByPath() {
        assertThatThrownBy(() -> files.read("no/such.txt"))
                .isInstanceOfSatisfying(FileNotFoundInLeaseException.class, e -> assertThat(e.path()).isEqualTo("no/such.txt"));
        assertThatThrownBy(() -> files.open("no-such.txt")).isInstanceOf(FileNotFoundInLeaseException.class);
    }

    @Test
    void deletesATreeWithoutFollowingItsLinks() throws IOException {
        files.write("tree/a/b/c.txt", new byte[] {1});
        files.write("tree/top.txt", new byte[] {2});
        Files.createSymbolicLink(lease.resolve("tree/a/outside-dir"), outside);
        Files.createSymbolicLink(lease.resolve("tree/outside-file"), outside.resolve("secret.txt"));

        assertThat(files.delete("tree")).isTrue();

        assertThat(lease.resolve("tree")).doesNotExist();
        assertThat(outside.resolve("secret.txt")).hasContent("secret");
        assertThat(files.delete("tree")).isFalse();
        assertThatThrownBy(() -> files.delete("")).isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void deletingALinkLeavesItsTarget() throws IOException {
        files.write("target.txt", "kept".getBytes(StandardCharsets.UTF_8));
        Files.createSymbolicLink(lease.resolve("link.txt"), Path.of("target.txt"));
        Files.createSymbolicLink(lease.resolve("out-link"), outside.resolve("secret.txt"));

        assertThat(files.delete("link.txt")).isTrue();
        assertThat(files.delete("out-link")).isTrue();

        assertThat(lease.resolve("link.txt")).doesNotExist();
        assertThat(lease.resolve("target.txt")).hasContent("kept");
        assertThat(outside.resolve("secret.txt")).hasContent("secret");
    }

    @Test
    void followsLinksThatStayInside() throws IOException {
        files.write("real/file.txt", "inside".getBytes(StandardCharsets.UTF_8));
        Files.createSymbolicLink(lease.resolve("alias"), Path.of("real"));

        assertThat(files.read("alias/file.txt")).asString(StandardCharsets.UTF_8).isEqualTo("inside");
        files.write("alias/new.txt", new byte[] {7});
        assertThat(lease.resolve("real/new.txt")).exists();
    }

    @Test
    void refusesEveryEscapeAndChangesNothingOutside() throws IOException {
        Files.createSymbolicLink(lease.resolve("out"), outside);
        Files.createSymbolicLink(lease.resolve("dangling"), outside.resolve("created-through-link"));
        byte[] probe = "probe".getBytes(StandardCharsets.UTF_8);

        for (String path : List.of("../x", "a/../../x", "/etc/passwd", outside.resolve("secret.txt").toString())) {
            assertRefused(() -> files.read(path), path);
            assertRefused(() -> files.write(path, probe), path);
            assertRefused(() -> files.exists(path), path);
            assertRefused(() -> files.delete(path), path);
        }
        assertRefused(() -> files.read("out/secret.txt"), "read through link");
        assertRefused(() -> files.open("out/secret.txt"), "open through link");
        assertRefused(() -> files.list("out"), "list through link");
        assertRefused(() -> files.write("out/new.txt", probe), "write under link");
        assertRefused(() -> files.write("out/deeper/new.txt", probe), "write under link, missing parents");
        assertRefused(() -> files.write("dangling", probe), "write through dangling link");
        assertRefused(() -> files.delete("out/secret.txt"), "delete through link");

        try (Stream<Path> left = Files.list(outside)) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactly("secret.txt");
        }
        assertThat(outside.resolve("secret.txt")).hasContent("secret");
        assertThatThrownBy(() -> files.read("a\0b")).isInstanceOf(InvalidRequestException.class);
    }

    private static void assertRefused(ThrowingCallable call, String what) {
        assertThatThrownBy(call).as(what).isInstanceOf(PathOutsideRootException.class);
    }

    private static InputStream randomStream(long size) {
        Random random = new Random(42);
        return new InputStream() {
            private long left = size;

            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (left == 0) {
                    return -1;
                }
                int n = (int) Math.min(len, left);
                byte[] chunk = new byte[n];
                random.nextBytes(chunk);
                System.arraycopy(chunk, 0, b, off, n);
                left -= n;
                return n;
            }
        };
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
