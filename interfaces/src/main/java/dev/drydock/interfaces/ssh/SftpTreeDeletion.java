package dev.drydock.interfaces.ssh;

import java.io.IOException;
import net.schmizz.sshj.sftp.RemoteResourceInfo;
import net.schmizz.sshj.sftp.SFTPClient;

/**
 * Deletes remote files and directory trees without following symbolic links: directory listings
 * carry {@code lstat} attributes, so a link to a directory is removed as a link, never entered.
 * Something already gone is fine.
 */
final class SftpTreeDeletion {
    private SftpTreeDeletion() {}

    static void delete(SFTPClient sftp, String directory) throws IOException {
        try {
            for (RemoteResourceInfo child : sftp.ls(directory)) {
                if (child.isDirectory()) {
                    delete(sftp, child.getPath());
                } else {
                    removeFile(sftp, child.getPath());
                }
            }
            sftp.rmdir(directory);
        } catch (IOException e) {
            if (!Sftp.isMissing(e)) {
                throw e;
            }
        }
    }

    /** Removes a file or link; false if there was none. */
    static boolean removeFile(SFTPClient sftp, String path) throws IOException {
        try {
            sftp.rm(path);
            return true;
        } catch (IOException e) {
            if (Sftp.isMissing(e)) {
                return false;
            }
            throw e;
        }
    }
}
