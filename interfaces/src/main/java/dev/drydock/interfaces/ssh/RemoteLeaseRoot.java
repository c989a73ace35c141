package dev.drydock.interfaces.ssh;

import dev.drydock.api.DrydockException;
import dev.drydock.interfaces.internal.LinkWalk;
import dev.drydock.interfaces.internal.PosixPaths;
import java.io.IOException;
import net.schmizz.sshj.sftp.FileAttributes;
import net.schmizz.sshj.sftp.FileMode;
import net.schmizz.sshj.sftp.SFTPClient;

/**
 * The lease's directory on the remote host and the one place that turns a caller's relative path
 * into a remote path. A path is first judged by its spelling ({@link PosixPaths#normaliseRelative}),
 * then resolved by {@link LinkWalk} with the server's {@code lstat} and {@code readlink}, and refused
 * unless the result lies inside the directory's canonical path (SFTP realpath). A dangling link is
 * followed too, so a write cannot create a file outside. On first use the directory is made private
 * ({@code 0700} at most): the group and others lose every permission on it.
 * Thread-safe.
 *
 * <p>It confines callers, not a concurrent adversary on the host: a link swapped in between the
 * check and the use is not caught.
 */
final class RemoteLeaseRoot {
    private final String directory;
    private volatile String canonical;

    RemoteLeaseRoot(String leaseDirectory) {
        this.directory = RemotePaths.leaseDirectory(leaseDirectory);
    }

    /** The canonical path of the lease's directory on the host, looked up once. */
    String canonical(SFTPClient sftp) throws IOException {
        String known = canonical;
        if (known != null) {
            return known;
        }
        FileAttributes attributes = Sftp.statOrNull(sftp, directory);
        if (attributes == null || attributes.getType() != FileMode.Type.DIRECTORY) {
            throw new DrydockException("the lease's directory '" + directory + "' does not exist on the host"
                    + (attributes == null ? "" : " as a directory"));
        }
        int mode = attributes.getMode().getPermissionsMask();
        if ((mode & 077) != 0) {
            // A lease's files are its holder's alone, whatever umask the directory was made with.
            sftp.chmod(directory, mode & 0700);
        }
        known = sftp.canonicalize(directory);
        canonical = known;
        return known;
    }

    /** Where {@code relative} leads, following every symbolic link, including a final one. */
    String resolve(SFTPClient sftp, String field, String relative) throws IOException {
        String normal = PosixPaths.normaliseRelative(field, relative); // refused before anything is sent
        return LinkWalk.<IOException>resolveInside(canonical(sftp), normal, field, relative, true, path -> lstat(sftp, path));
    }

    /** Where {@code relative} leads without following its last name, which may be a link itself. */
    String resolveNoFollow(SFTPClient sftp, String field, String relative) throws IOException {
        String normal = PosixPaths.normaliseRelative(field, relative); // refused before anything is sent
        return LinkWalk.<IOException>resolveInside(canonical(sftp), normal, field, relative, false, path -> lstat(sftp, path));
    }

    /** Checks again, after directories were created, that {@code existing} really lies inside. */
    void requireStillInside(SFTPClient sftp, String relative, String existing) throws IOException {
        LinkWalk.requireInside(canonical(sftp), relative, sftp.canonicalize(existing));
    }

    private static LinkWalk.Entry lstat(SFTPClient sftp, String path) throws IOException {
        FileAttributes attributes = Sftp.lstatOrNull(sftp, path);
        if (attributes == null) {
            return new LinkWalk.Entry.Missing();
        }
        return attributes.getType() == FileMode.Type.SYMLINK ? new LinkWalk.Entry.Link(sftp.readlink(path)) : new LinkWalk.Entry.Other();
    }
}
