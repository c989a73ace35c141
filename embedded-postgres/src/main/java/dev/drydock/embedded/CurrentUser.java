package dev.drydock.embedded;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The effective user id of this process, read from {@code /proc/self/status} (Java has no getuid). */
final class CurrentUser {
    private static final int EUID = readEffectiveUid();

    private CurrentUser() {}

    static int uid() {
        return EUID;
    }

    /** PostgreSQL's programs refuse to run as root, so they are then run in a user namespace. */
    static boolean isRoot() {
        return EUID == 0;
    }

    private static int readEffectiveUid() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    // real, effective, saved set, filesystem
                    return Integer.parseInt(line.substring(4).trim().split("\\s+")[1]);
                }
            }
            throw new EmbeddedPostgresException("/proc/self/status has no Uid line: the embedded PostgreSQL needs Linux");
        } catch (IOException e) {
            throw new EmbeddedPostgresException("cannot read /proc/self/status (" + e.getMessage()
                    + "): the embedded PostgreSQL needs Linux with /proc mounted", e);
        }
    }
}
