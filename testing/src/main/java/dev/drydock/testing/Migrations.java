package dev.drydock.testing;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The Flyway migrations a module carries, read from its test classpath (its build's classes directory). */
public final class Migrations {
    private static final Pattern VERSIONED = Pattern.compile("V(\\d+)__.*\\.sql");

    private Migrations() {}

    /** The highest {@code V<n>__*.sql} in classpath directory {@code location} (e.g. {@code dev/drydock/core/migration}). */
    public static String newestVersion(String location) {
        URL url = Migrations.class.getClassLoader().getResource(location);
        if (url == null || !"file".equals(url.getProtocol())) {
            throw new IllegalStateException(location + " is not a directory on the classpath: " + url);
        }
        try (Stream<Path> files = Files.list(Path.of(url.toURI()))) {
            return Integer.toString(files.map(f -> VERSIONED.matcher(f.getFileName().toString()))
                    .filter(Matcher::matches).mapToInt(m -> Integer.parseInt(m.group(1))).max()
                    .orElseThrow(() -> new IllegalStateException("no migrations in " + location)));
        } catch (IOException | URISyntaxException e) {
            throw new IllegalStateException("cannot list " + location + ": " + e.getMessage(), e);
        }
    }
}
