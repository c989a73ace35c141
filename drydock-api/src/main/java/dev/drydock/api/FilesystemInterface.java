package dev.drydock.api;

import java.io.InputStream;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;

/**
 * Files in the lease's directory on the resource. Every path is relative to that directory and is
 * refused with {@link PathOutsideRootException} if it would leave it ({@code ..}, an absolute path,
 * or a symbolic link that points outside); nothing is touched then. Reading or listing what does
 * not exist raises {@link FileNotFoundInLeaseException}; deleting it returns false.
 */
public non-sealed interface FilesystemInterface extends ResourceInterface {
    byte[] read(String path);

    /**
     * Writes the whole file, creating parent directories; replaces an existing file, keeping its
     * mode. A new file gets the resource's default mode ({@code 0666} less the umask), inside a lease
     * directory only its owner can enter.
     */
    void write(String path, byte[] content);

    /** Streams {@code content} into the file, for large files; the stream is read to its end, not closed. */
    void write(String path, InputStream content);

    /**
     * Streams {@code content} into the file as {@link #write(String, InputStream)} does, giving it
     * exactly the mode {@code permissions} (an existing file's mode is replaced). The file never has
     * a permission outside that set, not even while it is being written, so a {@code 0600} secret is
     * never readable by others on the resource.
     */
    void write(String path, InputStream content, Set<PosixFilePermission> permissions);

    /** Opens the file for reading; the caller closes the stream. */
    InputStream open(String path);

    /** The entries of a directory ({@code ""} for the lease's directory), sorted by path. */
    List<FileEntry> list(String directory);

    boolean exists(String path);

    /** Deletes a file or a directory with everything in it; returns false if it did not exist. */
    boolean delete(String path);

    /**
     * Creates a directory and any missing parents; does nothing if it exists. Refused with an
     * {@link InvalidRequestException} if a file is in the way.
     */
    void createDirectories(String path);

    /**
     * Sets the permission bits of a file or directory, for example
     * {@code PosixFilePermissions.fromString("rwxr-xr-x")} to make a written script runnable.
     * A symbolic link is followed only if it stays inside the lease's directory.
     */
    void setPermissions(String path, Set<PosixFilePermission> permissions);
}
