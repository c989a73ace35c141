package dev.drydock.interfaces.ssh;

import dev.drydock.interfaces.internal.PosixPaths;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.EnumSet;
import java.util.UUID;
import net.schmizz.sshj.sftp.FileAttributes;
import net.schmizz.sshj.sftp.FileMode;
import net.schmizz.sshj.sftp.OpenMode;
import net.schmizz.sshj.sftp.RemoteFile;
import net.schmizz.sshj.sftp.RenameFlags;
import net.schmizz.sshj.sftp.SFTPClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replaces a remote file's content all at once: a temporary file in the same directory, created
 * exclusively (so a planted link cannot redirect it), then renamed over the target. With OpenSSH's
 * {@code posix-rename@openssh.com} the rename is atomic; a server without it gets remove-then-rename.
 * A replaced file keeps its permissions unless a mode is given.
 */
final class SftpWrite {
    private static final Logger log = LoggerFactory.getLogger(SftpWrite.class);
    /**
     * Write requests awaiting the server's answer. With full packets that is about 256 KiB in flight:
     * enough to keep a local server busy, while OpenSSH's server spends more CPU per byte the more
     * requests queue up in its input buffer.
     */
    private static final int WRITES_IN_FLIGHT = 8;
    /** A write request's fields besides the data: length, type, id, handle (at most 256 bytes), offset, data length. */
    private static final int WRITE_REQUEST_FIELDS = 4 + 1 + 4 + (4 + 256) + 8 + 4;
    /** The most data per write request SFTP servers are expected to accept. */
    private static final int MAX_WRITE = 32 * 1024;
    private static final int MIN_WRITE = 1024;

    private SftpWrite() {}

    /**
     * @param existing the target's attributes, or null if it does not exist
     * @param mode     the file's permission bits, or -1 to keep a replaced file's (a new one gets the server's default)
     */
    static void replace(SFTPClient sftp, String target, FileAttributes existing, InputStream content, int mode) throws IOException {
        String temp = PosixPaths.join(PosixPaths.parent(target), ".drydock-" + UUID.randomUUID() + ".tmp");
        try {
            // With a mode, the file is created with it (the server's umask may only narrow it), so it
            // is never readable wider than asked, not even half written.
            FileAttributes create = mode < 0 ? FileAttributes.EMPTY : new FileAttributes.Builder().withPermissions(mode).build();
            try (RemoteFile file = sftp.open(temp, EnumSet.of(OpenMode.WRITE, OpenMode.CREAT, OpenMode.EXCL), create)) {
                upload(content, file, writeSize(sftp.getSFTPEngine().getSubsystem().getRemoteMaxPacketSize()));
            }
            if (mode >= 0) {
                sftp.chmod(temp, mode);
            } else if (existing != null && existing.getType() == FileMode.Type.REGULAR) {
                sftp.chmod(temp, existing.getMode().getPermissionsMask());
            }
            rename(sftp, temp, target);
        } catch (IOException | RuntimeException e) {
            try {
                SftpTreeDeletion.removeFile(sftp, temp);
            } catch (IOException | RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    /**
     * The data per write request: as much as fits one channel packet with the request's other fields,
     * so no request is split over two packets, and no more than every server must accept.
     */
    static int writeSize(int remoteMaxPacket) {
        return Math.clamp(remoteMaxPacket - WRITE_REQUEST_FIELDS, MIN_WRITE, MAX_WRITE);
    }

    // Full requests only (readNBytes), WRITES_IN_FLIGHT of them outstanding; close waits for the last answers.
    private static void upload(InputStream content, RemoteFile file, int writeSize) throws IOException {
        byte[] chunk = new byte[writeSize];
        try (OutputStream out = file.new RemoteFileOutputStream(0, WRITES_IN_FLIGHT)) {
            for (int n; (n = content.readNBytes(chunk, 0, chunk.length)) > 0; ) {
                out.write(chunk, 0, n);
            }
        }
    }

    private static void rename(SFTPClient sftp, String temp, String target) throws IOException {
        if (sftp.getSFTPEngine().supportsServerExtension("posix-rename", "openssh.com")) {
            sftp.rename(temp, target, EnumSet.of(RenameFlags.OVERWRITE));
            return;
        }
        log.debug("The server lacks posix-rename; replacing {} non-atomically", target);
        SftpTreeDeletion.removeFile(sftp, target);
        sftp.rename(temp, target);
    }
}
