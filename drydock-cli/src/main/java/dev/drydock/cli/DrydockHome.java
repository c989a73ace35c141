package dev.drydock.cli;

import dev.drydock.embedded.LocalPostgres;
import java.nio.file.Path;

/**
 * Where drydock commands keep what belongs to the user who runs them: {@code $DRYDOCK_HOME}, else
 * {@code ~/.drydock} (the same rule the local database follows).
 */
public final class DrydockHome {
    private DrydockHome() {}

    public static Path directory() {
        return LocalPostgres.defaultHome();
    }
}
