package dev.drydock.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.Properties;
import picocli.CommandLine;

/**
 * What this build is: the project version and the git commit it was built from, written into
 * {@code build.properties} by the build (the commit is absent when the sources were not a git checkout).
 */
public final class BuildInfo implements CommandLine.IVersionProvider {
    private static final Properties PROPERTIES = load();

    public static String version() {
        return PROPERTIES.getProperty("version", "unknown");
    }

    public static Optional<String> commit() {
        return Optional.ofNullable(PROPERTIES.getProperty("commit")).map(String::trim).filter(c -> c.matches("[0-9a-f]{7,40}"));
    }

    /** {@code drydock 0.1.0 (commit abc123)}. */
    public static String describe() {
        return "drydock " + version() + commit().map(c -> " (commit " + c + ")").orElse("");
    }

    @Override
    public String[] getVersion() {
        return new String[] {describe()};
    }

    private static Properties load() {
        Properties properties = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream("build.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            // unknown version: said as such
        }
        return properties;
    }
}
