package dev.drydock.api.spi;

import dev.drydock.api.FileEntry;
import dev.drydock.api.FilesystemInterface;
import java.io.InputStream;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;

/** {@link Subdirectory#files}: a lease's filesystem interface, rooted at one of its directories. */
final class SubdirectoryFiles implements FilesystemInterface {
    private final FilesystemInterface host;
    private final String directory;

    SubdirectoryFiles(FilesystemInterface host, String directory) {
        this.host = host;
        this.directory = directory;
    }

    private String at(String path) {
        return Subdirectory.below(directory, path);
    }

    @Override
    public byte[] read(String path) {
        return host.read(at(path));
    }

    @Override
    public void write(String path, byte[] content) {
        host.write(at(path), content);
    }

    @Override
    public void write(String path, InputStream content) {
        host.write(at(path), content);
    }

    @Override
    public void write(String path, InputStream content, Set<PosixFilePermission> permissions) {
        host.write(at(path), content, permissions);
    }

    @Override
    public InputStream open(String path) {
        return host.open(at(path));
    }

    @Override
    public List<FileEntry> list(String path) {
        String prefix = directory + "/";
        return host.list(at(path)).stream()
                .map(e -> new FileEntry(e.path().startsWith(prefix) ? e.path().substring(prefix.length()) : e.path(), e.kind(), e.size(), e.modified()))
                .toList();
    }

    @Override
    public boolean exists(String path) {
        return host.exists(at(path));
    }

    @Override
    public boolean delete(String path) {
        return host.delete(at(path));
    }

    @Override
    public void createDirectories(String path) {
        host.createDirectories(at(path));
    }

    @Override
    public void setPermissions(String path, Set<PosixFilePermission> permissions) {
        host.setPermissions(at(path), permissions);
    }
}
