package dev.drydock.interfaces.ssh;

import java.io.IOException;
import java.util.EnumSet;
import java.util.Set;
import net.schmizz.sshj.sftp.FileAttributes;
import net.schmizz.sshj.sftp.Response;
import net.schmizz.sshj.sftp.SFTPClient;
import net.schmizz.sshj.sftp.SFTPException;

/** Small SFTP helpers: telling a status the server answered from a failed connection. */
final class Sftp {
    private static final Set<Response.StatusCode> MISSING =
            EnumSet.of(Response.StatusCode.NO_SUCH_FILE, Response.StatusCode.NO_SUCH_PATH);

    private Sftp() {}

    /** Whether the server answered with a status (as opposed to sshj wrapping a transport failure). */
    static boolean isServerStatus(IOException e) {
        return e instanceof SFTPException s && s.getStatusCode() != null
                && s.getStatusCode() != Response.StatusCode.UNKNOWN && e.getCause() == null;
    }

    static boolean isMissing(IOException e) {
        return isServerStatus(e) && MISSING.contains(((SFTPException) e).getStatusCode());
    }

    /** The attributes of {@code path} following links, or null if the server says it cannot stat it. */
    static FileAttributes statOrNull(SFTPClient sftp, String path) throws IOException {
        try {
            return sftp.stat(path);
        } catch (IOException e) {
            if (isServerStatus(e)) {
                return null;
            }
            throw e;
        }
    }

    /** Like {@link #statOrNull} without following a final link. */
    static FileAttributes lstatOrNull(SFTPClient sftp, String path) throws IOException {
        try {
            return sftp.lstat(path);
        } catch (IOException e) {
            // Missing, under a file, or unsearchable: the server cannot follow a link there either.
            if (isServerStatus(e)) {
                return null;
            }
            throw e;
        }
    }
}
