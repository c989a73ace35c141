package dev.drydock.interfaces.ssh;

import dev.drydock.api.InvalidRequestException;
import dev.drydock.interfaces.internal.PosixPaths;
import java.util.Objects;

/** The remote (POSIX) side's rule for the lease's directory itself; relative paths follow {@link PosixPaths}. */
final class RemotePaths {
    private RemotePaths() {}

    /** The lease's directory as given to an interface: absolute, normalised, without a NUL. */
    static String leaseDirectory(String leaseDirectory) {
        Objects.requireNonNull(leaseDirectory, "leaseDirectory");
        if (!leaseDirectory.startsWith("/") || leaseDirectory.indexOf('\0') >= 0) {
            throw new InvalidRequestException("leaseDirectory", "must be an absolute path on the remote host, was '"
                    + leaseDirectory + "'");
        }
        return "/" + PosixPaths.normaliseRelative("leaseDirectory", leaseDirectory.substring(1));
    }
}
