package dev.drydock.interfaces.ssh;

import dev.drydock.api.DrydockException;
import dev.drydock.api.FileEntry;
import dev.drydock.api.FileNotFoundInLeaseException;
import dev.drydock.api.FilesystemInterface;
import dev.drydock.api.InvalidRequestException;
import dev.drydock.interfaces.PosixModes;
import dev.drydock.interfaces.internal.PosixPaths;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import net.schmizz.sshj.sftp.FileAttributes;
import net.schmizz.sshj.sftp.FileMode;
import net.schmizz.sshj.sftp.OpenMode;
import net.schmizz.sshj.sftp.RemoteFile;
import net.schmizz.sshj.sftp.RemoteResourceInfo;
import net.schmizz.sshj.sftp.SFTPClient;

/**
 * Files in the lease's directory on a remote host, over the connection's SFTP subsystem.
 *
 * <p>Guarantees, as for the local interface: every path is judged by its spelling and then resolved
 * on the server, symbolic links included, and refused with
 * {@link dev.drydock.api.PathOutsideRootException} before anything is touched if it leads outside
 * (see {@link RemoteLeaseRoot}). Writes go to a temporary file in the same directory that is then
 * renamed over the target (OpenSSH's {@code posix-rename}), so readers never see half a file.
 * {@link #list} reports entries without following links (a link is {@link FileEntry.Kind#OTHER});
 * {@link #delete} never follows a link. A missing file raises {@link FileNotFoundInLeaseException};
 * an error the server reports a {@link DrydockException} naming the path; a lost connection an
 * {@link SshException}. Thread-safe: it holds no mutable state beyond a cached canonical path.
 */
public final class SftpFilesystemInterface implements FilesystemInterface {
    /** SFTP read requests kept in flight while streaming a file out, for throughput over latency. */
    private static final int READ_AHEAD = 16;

    private final Supplier<SshConnection> connection;
    private final RemoteLeaseRoot root;

    /** @param leaseDirectory the lease's directory on the remote host: an absolute path */
    public SftpFilesystemInterface(Supplier<SshConnection> connection, String leaseDirectory) {
        this.connection = Objects.requireNonNull(connection, "connection");
        this.root = new RemoteLeaseRoot(leaseDirectory);
    }

    @Override
    public byte[] read(String path) {
        return call("read", path, sftp -> {
            try (InputStream in = open(sftp, path)) {
                return in.readAllBytes();
            }
        });
    }

    @Override
    public InputStream open(String path) {
        return call("open", path, sftp -> open(sftp, path));
    }

    // The stream closes the remote file when it is closed.
    private InputStream open(SFTPClient sftp, String path) throws IOException {
        String file = root.resolve(sftp, "path", path);
        FileAttributes attributes = Sftp.statOrNull(sftp, file);
        if (attributes == null) {
            throw new FileNotFoundInLeaseException(path);
        }
        if (attributes.getType() == FileMode.Type.DIRECTORY) {
            throw new InvalidRequestException("path", "'" + path + "' is a directory, not a file");
        }
        RemoteFile remote = sftp.open(file, EnumSet.of(OpenMode.READ));
        return new FilterInputStream(remote.new ReadAheadRemoteFileInputStream(READ_AHEAD)) {
            @Override
            public void close() throws IOException {
                try (remote) {
                    super.close();
                }
            }
        };
    }

    @Override
    public void write(String path, byte[] content) {
        Objects.requireNonNull(content, "content");
        write(path, new ByteArrayInputStream(content));
    }

    @Override
    public void write(String path, InputStream content) {
        write(path, content, -1);
    }

    @Override
    public void write(String path, InputStream content, Set<PosixFilePermission> permissions) {
        write(path, content, PosixModes.toBits(permissions));
    }

    private void write(String path, InputStream content, int mode) {
        Objects.requireNonNull(content, "content");
        call("write", path, sftp -> {
            String file = root.resolve(sftp, "path", path);
            FileAttributes existing = Sftp.statOrNull(sftp, file);
            if (existing != null && existing.getType() == FileMode.Type.DIRECTORY) {
                throw new InvalidRequestException("path", "'" + path + "' is a directory, not a file");
            }
            String parent = PosixPaths.parent(file);
            sftp.mkdirs(parent);
            root.requireStillInside(sftp, path, parent);
            SftpWrite.replace(sftp, file, existing, content, mode);
            return null;
        });
    }

    @Override
    public List<FileEntry> list(String directory) {
        String prefix = PosixPaths.normaliseRelative("directory", directory);
        return call("list", directory, sftp -> {
            String resolved = root.resolve(sftp, "directory", directory);
            FileAttributes attributes = Sftp.statOrNull(sftp, resolved);
            if (attributes == null) {
                throw new FileNotFoundInLeaseException(directory);
            }
            if (attributes.getType() != FileMode.Type.DIRECTORY) {
                throw new InvalidRequestException("directory", "'" + directory + "' is a file, not a directory");
            }
            List<FileEntry> entries = new ArrayList<>();
            for (RemoteResourceInfo child : sftp.ls(resolved)) {
                String name = prefix.isEmpty() ? child.getName() : prefix + "/" + child.getName();
                entries.add(entry(name, child.getAttributes()));
            }
            entries.sort(Comparator.comparing(FileEntry::path));
            return List.copyOf(entries);
        });
    }

    @Override
    public boolean exists(String path) {
        return call("look for", path, sftp -> Sftp.statOrNull(sftp, root.resolve(sftp, "path", path)) != null);
    }

    @Override
    public boolean delete(String path) {
        if (PosixPaths.normaliseRelative("path", path).isEmpty()) {
            throw new InvalidRequestException("path", "refusing to delete the lease's directory itself; delete its entries");
        }
        return call("delete", path, sftp -> {
            String target = root.resolveNoFollow(sftp, "path", path);
            FileAttributes attributes = Sftp.lstatOrNull(sftp, target);
            if (attributes == null) {
                return false;
            }
            if (attributes.getType() == FileMode.Type.DIRECTORY) {
                SftpTreeDeletion.delete(sftp, target);
                return true;
            }
            return SftpTreeDeletion.removeFile(sftp, target);
        });
    }

    @Override
    public void createDirectories(String path) {
        call("create the directory", path, sftp -> {
            String directory = root.resolve(sftp, "path", path);
            FileAttributes existing = Sftp.statOrNull(sftp, directory);
            if (existing != null && existing.getType() != FileMode.Type.DIRECTORY) {
                throw new InvalidRequestException("path", "'" + path + "' is a file, not a directory");
            }
            sftp.mkdirs(directory);
            root.requireStillInside(sftp, path, directory);
            return null;
        });
    }

    @Override
    public void setPermissions(String path, Set<PosixFilePermission> permissions) {
        int bits = PosixModes.toBits(permissions);
        call("set the permissions of", path, sftp -> {
            sftp.chmod(root.resolve(sftp, "path", path), bits);
            return null;
        });
    }

    private static FileEntry entry(String path, FileAttributes attributes) {
        FileEntry.Kind kind = switch (attributes.getType()) {
            case REGULAR -> FileEntry.Kind.FILE;
            case DIRECTORY -> FileEntry.Kind.DIRECTORY;
            default -> FileEntry.Kind.OTHER;
        };
        return new FileEntry(path, kind, attributes.getSize(), Instant.ofEpochSecond(attributes.getMtime()));
    }

    @FunctionalInterface
    private interface SftpCall<T> {
        T apply(SFTPClient sftp) throws IOException;
    }

    // One connection per call, so a replaced connection is picked up by the next call.
    private <T> T call(String action, String path, SftpCall<T> body) {
        Objects.requireNonNull(path, "path");
        SshConnection ssh = Objects.requireNonNull(connection.get(), "the connection supplier returned null");
        try {
            return body.apply(ssh.sftp());
        } catch (IOException e) {
            if (Sftp.isMissing(e)) {
                throw new FileNotFoundInLeaseException(path);
            }
            if (Sftp.isServerStatus(e) && ssh.isAlive()) {
                throw new DrydockException("could not " + action + " '" + path + "' in the lease's directory on "
                        + ssh.target().address() + ": " + e.getMessage(), e);
            }
            throw ssh.failure(action + " '" + path + "' over SFTP", e);
        }
    }
}
