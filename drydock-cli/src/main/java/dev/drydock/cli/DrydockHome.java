package dev.drydock.cli;

import java.nio.file.Path;

/**
 * Where drydock commands keep what belongs to the user who runs them: {@code $DRYDOCK_HOME}, else
 * {@code ~/.drydock} (the same rule the local database follows).
 */
public final class DrydockHome {
    private DrydockHome() {}

    public static Path directory() {
        String home = System.getenv("DRYDOCK_HOME");
        return home != null && !home.isBlank() ? Path.of(home) : Path.of(System.getProperty("user.home"), ".drydock");
    }
}
