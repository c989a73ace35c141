package dev.drydock.interfaces.local;

import dev.drydock.api.DrydockException;
import dev.drydock.api.FileEntry;
import dev.drydock.api.FileNotFoundInLeaseException;
import dev.drydock.api.FilesystemInterface;
import dev.drydock.api.InvalidRequestException;
import dev.drydock.interfaces.internal.PosixPaths;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Files in the lease's directory on this machine.
 *
 * <p>Guarantees: every path is checked before anything is touched (see {@link FilesystemInterface});
 * symbolic links inside the directory are followed only while they stay inside it. Writes are atomic
 * (a temporary file in the same directory, then a rename), so readers never see half a file.
 * {@link #list} reports each entry as it is, without following links: a symbolic link is
 * {@link FileEntry.Kind#OTHER} with the size of the link itself. {@link #delete} never follows a link:
 * deleting a link (even one pointing outside) removes the link, and deleting a directory removes the
 * links in it, not their targets. The lease's directory itself cannot be written or deleted. A missing
 * file raises {@link FileNotFoundInLeaseException}; other I/O errors a {@link DrydockException} naming
 * the path. Thread-safe: it holds no mutable state.
 */
public final class LocalFilesystemInterface implements FilesystemInterface {
    private final LeaseRoot root;

    /** @param leaseDirectory the lease's directory; must exist */
    public LocalFilesystemInterface(Path leaseDirectory) {
        this.root = new LeaseRoot(leaseDirectory);
    }

    @Override
    public byte[] read(String path) {
        Path file = existingFile(path);
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new FileNotFoundInLeaseException(path);
        } catch (IOException e) {
            throw failure("read", path, e);
        }
    }

    @Override
    public InputStream open(String path) {
        Path file = existingFile(path);
        try {
            return Files.newInputStream(file);
        } catch (NoSuchFileException e) {
            throw new FileNotFoundInLeaseException(path);
        } catch (IOException e) {
            throw failure("open", path, e);
        }
    }

    @Override
    public void write(String path, byte[] content) {
        Objects.requireNonNull(content, "content");
        Path file = writeTarget(path);
        try {
            AtomicFileWrite.replace(file, out -> out.write(content));
        } catch (IOException e) {
            throw failure("write", path, e);
        }
    }

    @Override
    public void write(String path, InputStream content) {
        Objects.requireNonNull(content, "content");
        Path file = writeTarget(path);
        try {
            AtomicFileWrite.replace(file, content::transferTo);
        } catch (IOException e) {
            throw failure("write", path, e);
        }
    }

    @Override
    public void write(String path, InputStream content, Set<PosixFilePermission> permissions) {
        Objects.requireNonNull(content, "content");
        Set<PosixFilePermission> mode = Set.copyOf(Objects.requireNonNull(permissions, "permissions"));
        Path file = writeTarget(path);
        try {
            AtomicFileWrite.replace(file, content::transferTo, Optional.of(mode));
        } catch (IOException e) {
            throw failure("write", path, e);
        }
    }

    @Override
    public List<FileEntry> list(String directory) {
        String prefix = PosixPaths.normaliseRelative("directory", directory);
        Path resolved = root.resolve("directory", directory);
        if (!Files.exists(resolved)) {
            throw new FileNotFoundInLeaseException(directory);
        }
        if (!Files.isDirectory(resolved)) {
            throw new InvalidRequestException("directory", "'" + directory + "' is a file, not a directory");
        }
        List<FileEntry> entries = new ArrayList<>();
        try (DirectoryStream<Path> children = Files.newDirectoryStream(resolved)) {
            for (Path child : children) {
                String name = child.getFileName().toString();
                entry(prefix.isEmpty() ? name : prefix + "/" + name, child).ifPresent(entries::add);
            }
        } catch (IOException e) {
            throw failure("list", directory, e);
        }
        entries.sort(Comparator.comparing(FileEntry::path));
        return List.copyOf(entries);
    }

    @Override
    public boolean exists(String path) {
        return Files.exists(root.resolve("path", path));
    }

    @Override
    public boolean delete(String path) {
        if (PosixPaths.normaliseRelative("path", path).isEmpty()) {
            throw new InvalidRequestException("path", "refusing to delete the lease's directory itself; delete its entries");
        }
        Path target = root.resolveNoFollow("path", path);
        if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        try {
            BasicFileAttributes attributes = Files.readAttributes(target, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (attributes.isDirectory()) {
                TreeDeletion.delete(target);
                return true;
            }
            return Files.deleteIfExists(target);
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            throw failure("delete", path, e);
        }
    }

    @Override
    public void createDirectories(String path) {
        Path directory = root.resolve("path", path);
        if (Files.exists(directory) && !Files.isDirectory(directory)) {
            throw new InvalidRequestException("path", "'" + path + "' is a file, not a directory");
        }
        try {
            Files.createDirectories(directory);
        } catch (FileAlreadyExistsException e) {
            throw new InvalidRequestException("path", "a file is in the way of '" + path + "': " + e.getFile());
        } catch (IOException e) {
            throw failure("create the directory", path, e);
        }
        root.requireStillInside(path, directory);
    }

    @Override
    public void setPermissions(String path, Set<PosixFilePermission> permissions) {
        Objects.requireNonNull(permissions, "permissions");
        Path target = root.resolve("path", path);
        try {
            Files.setPosixFilePermissions(target, permissions);
        } catch (NoSuchFileException e) {
            throw new FileNotFoundInLeaseException(path);
        } catch (IOException e) {
            throw failure("set the permissions of", path, e);
        }
    }

    private Path existingFile(String path) {
        Path file = root.resolve("path", path);
        if (!Files.exists(file)) {
            throw new FileNotFoundInLeaseException(path);
        }
        if (Files.isDirectory(file)) {
            throw new InvalidRequestException("path", "'" + path + "' is a directory, not a file");
        }
        return file;
    }

    // Checks the path, then creates missing parents and checks again that they really are inside.
    private Path writeTarget(String path) {
        Path file = root.resolve("path", path);
        if (Files.isDirectory(file)) {
            throw new InvalidRequestException("path", "'" + path + "' is a directory, not a file");
        }
        try {
            Files.createDirectories(file.getParent());
        } catch (IOException e) {
            throw failure("create the parent directories of", path, e);
        }
        root.requireStillInside(path, file.getParent());
        return file;
    }

    private static Optional<FileEntry> entry(String path, Path child) throws IOException {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(child, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return Optional.empty(); // deleted between listing and looking: not an entry any more
        }
        FileEntry.Kind kind = attributes.isRegularFile() ? FileEntry.Kind.FILE
                : attributes.isDirectory() ? FileEntry.Kind.DIRECTORY : FileEntry.Kind.OTHER;
        return Optional.of(new FileEntry(path, kind, attributes.size(), attributes.lastModifiedTime().toInstant()));
    }

    private static DrydockException failure(String action, String path, IOException e) {
        return new DrydockException("could not " + action + " '" + path + "' in the lease's directory: " + e, e);
    }
}
