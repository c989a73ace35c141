package dev.drydock.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Who runs this command, as an operator's action is recorded on a lease: {@code root (uid 0)}. */
public final class OsUser {
    private OsUser() {}

    public static String describe() {
        String name = System.getProperty("user.name", "unknown");
        try {
            // Linux: /proc/self belongs to the process's effective user. The name alone can be set
            // with -Duser.name; the uid cannot.
            return name + " (uid " + Files.getAttribute(Path.of("/proc/self"), "unix:uid") + ")";
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return name + " (uid unknown)";
        }
    }
}
