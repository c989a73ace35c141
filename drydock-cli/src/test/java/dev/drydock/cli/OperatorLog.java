package dev.drydock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.testing.JavaProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A daemon in its own JVM logging as it does for users (the shipped configuration, not the tests'
 * {@code logback-test.xml}), and the rules its log keeps for operators: one line per event, no stack
 * traces, and no SQL, library class or exception name in a WARN or ERROR line.
 */
final class OperatorLog {
    /** A log event's first line, as the shipped pattern writes it. */
    private static final Pattern EVENT = Pattern.compile("^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} (TRACE|DEBUG|INFO |WARN |ERROR) \\S+ .*");
    /** What the daemon prints on stdout, which shares the file. */
    private static final Pattern PRINTED = Pattern.compile("^(drydock-taskmaster |HTTP API at ).*");
    private static final Pattern STATEMENT = Pattern.compile("\\b(WITH \\w+ AS|UPDATE \\w+ SET|statement:)");

    private final Path file;

    private OperatorLog(Path file) {
        this.file = file;
    }

    /** Starts {@code drydock-taskmaster args} logging into a new file in {@code directory}, the test's {@code @TempDir}. */
    static Started daemon(Path directory, String name, List<String> args) {
        try {
            Path file = Files.createTempFile(directory, name, ".log");
            Process process = JavaProcess.start(DrydockTaskmaster.class, file, List.of("-Ddrydock.logging=shipped"), args, environment -> { });
            return new Started(process, new OperatorLog(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    record Started(Process process, OperatorLog log) {}

    String text() {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return ""; // not written yet
        }
    }

    List<String> lines(String containing) {
        return text().lines().filter(l -> l.contains(containing)).toList();
    }

    /** Every line is a one-line event or the daemon's own output; WARN and ERROR lines say no SQL or library detail. */
    void assertReadable() {
        String text = text();
        assertThat(text.lines()).as("every line an event of its own or printed output:%n%s", text)
                .allSatisfy(line -> assertThat(EVENT.matcher(line).matches() || PRINTED.matcher(line).matches())
                        .as("a line that continues an event: %s", line).isTrue());
        assertThat(text.lines().filter(l -> l.contains(" WARN ") || l.contains(" ERROR ")))
                .allSatisfy(line -> {
                    assertThat(MessageScan.leak(line)).as(line).isEmpty();
                    assertThat(STATEMENT.matcher(line).find()).as("a statement in: %s", line).isFalse();
                });
    }
}
