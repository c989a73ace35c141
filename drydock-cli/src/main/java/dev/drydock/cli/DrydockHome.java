package dev.drydock.cli;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where drydock commands keep what belongs to the user who runs them: {@code $DRYDOCK_HOME}, else
 * {@code ~/.drydock} (the rule of {@link dev.drydock.embedded.LocalPostgres#defaultHome()}, which reads
 * only this process's environment).
 */
public final class DrydockHome {
    private DrydockHome() {}

    public static Path directory(Map<String, String> environment) {
        String home = environment.get("DRYDOCK_HOME");
        return home != null && !home.isBlank() ? Path.of(home) : Path.of(System.getProperty("user.home"), ".drydock");
    }
}
