package dev.drydock.interfaces.ssh;

import dev.drydock.api.DrydockException;
import dev.drydock.api.PathOutsideRootException;
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
 * followed too, so a write cannot create a file outside.
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
        known = sftp.canonicalize(directory);
        canonical = known;
        return known;
    }

    /** Where {@code relative} leads, following every symbolic link, including a final one. */
    String resolve(SFTPClient sftp, String field, String relative) throws IOException {
        String normal = PosixPaths.normaliseRelative(field, relative);
        String root = canonical(sftp);
        return confined(root, relative, follow(sftp, root, normal, field, relative));
    }

    /** Where {@code relative} leads without following its last name, which may be a link itself. */
    String resolveNoFollow(SFTPClient sftp, String field, String relative) throws IOException {
        String normal = PosixPaths.normaliseRelative(field, relative);
        String root = canonical(sftp);
        if (normal.isEmpty()) {
            return root;
        }
        int slash = normal.lastIndexOf('/');
        String parent = slash < 0 ? "" : normal.substring(0, slash);
        String resolvedParent = confined(root, relative, follow(sftp, root, parent, field, relative));
        return PosixPaths.join(resolvedParent, normal.substring(slash + 1));
    }

    /** Checks again, after directories were created, that {@code existing} really lies inside. */
    void requireStillInside(SFTPClient sftp, String relative, String existing) throws IOException {
        confined(canonical(sftp), relative, sftp.canonicalize(existing));
    }

    private static String confined(String root, String relative, String resolved) {
        if (!PosixPaths.isInside(resolved, root)) {
            throw new PathOutsideRootException(relative, "it leads to '" + resolved + "' through a symbolic link");
        }
        return resolved;
    }

    private static String follow(SFTPClient sftp, String root, String normal, String field, String original) throws IOException {
        return LinkWalk.<IOException>follow(root, normal, path -> lstat(sftp, path), field, original);
    }

    private static LinkWalk.Entry lstat(SFTPClient sftp, String path) throws IOException {
        FileAttributes attributes = Sftp.lstatOrNull(sftp, path);
        if (attributes == null) {
            return new LinkWalk.Entry.Missing();
        }
        return attributes.getType() == FileMode.Type.SYMLINK ? new LinkWalk.Entry.Link(sftp.readlink(path)) : new LinkWalk.Entry.Other();
    }
}
