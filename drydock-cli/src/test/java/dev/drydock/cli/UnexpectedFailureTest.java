package dev.drydock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.drydock.testing.JavaProcess;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * A failure no command foresaw is one plain line with a hint, exit 1, never the library's message
 * (it may quote SQL or data); the stack trace goes to the log only at debug level. A DRYDOCK_HOME
 * that is a file is foreseen: bad input, one line, exit 2.
 */
class UnexpectedFailureTest {
    @TempDir
    static Path temp;

    @Test
    void anUnforeseenFailureIsOneLineWithAHintAndTheTraceOnlyAtDebugLevel() {
        // Thrown by a library (here the JDK's parser), with a message that quotes its input.
        RuntimeException unforeseen = (RuntimeException) org.assertj.core.api.Assertions.catchThrowable(() -> Integer.parseInt("UPDATE deadlock"));
        Logger logger = (Logger) LoggerFactory.getLogger(FailureReport.class);
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        logger.addAppender(captured);
        Level before = logger.getLevel();
        try {
            logger.setLevel(Level.INFO);
            StringWriter quiet = new StringWriter();
            assertThat(FailureReport.report(unforeseen, status(quiet), e -> e)).isEqualTo(DrydockControl.FAILED);
            assertThat(quiet.toString().lines().toList()).as(quiet.toString()).hasSize(1);
            assertThat(quiet.toString()).startsWith("status: failed unexpectedly").contains("rerun with DRYDOCK_LOG_LEVEL=DEBUG")
                    .doesNotContain("UPDATE", "deadlock", "Exception", "\tat ");
            assertThat(captured.list).as("nothing logged at INFO").isEmpty();

            logger.setLevel(Level.DEBUG);
            StringWriter debug = new StringWriter();
            assertThat(FailureReport.report(unforeseen, status(debug), e -> e)).isEqualTo(DrydockControl.FAILED);
            assertThat(debug.toString()).doesNotContain("UPDATE");
            assertThat(captured.list).as("the trace, at DEBUG").singleElement()
                    .satisfies(event -> assertThat(event.getThrowableProxy().getMessage()).contains("deadlock"));
        } finally {
            logger.setLevel(before);
            logger.detachAppender(captured);
        }
    }

    @Test
    void aHomeThatIsAFileIsBadInputInOneLine() throws Exception {
        Path notADirectory = Files.createTempFile(temp, "drydock-home", ".txt");
        Path err = Files.createTempFile(temp, "unexpected-err", ".txt");
        // The shipped logging configuration (the test classpath's own logs everything at INFO)
        ProcessBuilder pb = new ProcessBuilder(List.of(JavaProcess.javaExecutable(), "-Ddrydock.logging=shipped",
                "-cp", JavaProcess.classpath(), DrydockControl.class.getName(), "status"))
                .redirectError(err.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().remove("DRYDOCK_DB_URL"); // the local database under DRYDOCK_HOME is the one tried
        pb.environment().put("DRYDOCK_HOME", notADirectory.toString());
        Process p = pb.start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("drydock-control status did not finish in 60 s");
        }
        String stderr = Files.readString(err, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(stderr).isEqualTo(DrydockControl.BAD_INPUT);
        assertThat(stderr.lines().toList()).as(stderr).hasSize(1);
        assertThat(stderr).contains(notADirectory + " is not a directory").doesNotContain("Exception", "\tat ");
    }

    private static CommandLine status(StringWriter err) {
        CommandLine status = new CommandLine(CommandLine.Model.CommandSpec.create().name("status"));
        status.setErr(new PrintWriter(err, true));
        return status;
    }
}
