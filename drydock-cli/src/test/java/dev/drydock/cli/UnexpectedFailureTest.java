package dev.drydock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.testing.JavaProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A failure no command foresaw (here: DRYDOCK_HOME is a file, so the local database has nowhere to
 * live) is one plain line with a hint, exit 1; the stack trace appears only when asked for with
 * DRYDOCK_LOG_LEVEL=DEBUG.
 */
class UnexpectedFailureTest {

    @Test
    void anUnforeseenFailureIsOneLineWithAHintAndTheTraceOnlyAtDebugLevel() throws Exception {
        Path notADirectory = Files.createTempFile("drydock-home", ".txt");

        Run quiet = status(Map.of("DRYDOCK_HOME", notADirectory.toString()));
        assertThat(quiet.exitCode()).as(quiet.stderr()).isEqualTo(1);
        assertThat(quiet.stderr().lines().toList()).as(quiet.stderr()).hasSize(1);
        assertThat(quiet.stderr())
                .startsWith("status: failed unexpectedly: cannot use " + notADirectory)
                .contains("rerun with DRYDOCK_LOG_LEVEL=DEBUG")
                .doesNotContain("Exception", "java.", "\tat ");

        Run debug = status(Map.of("DRYDOCK_HOME", notADirectory.toString(), "DRYDOCK_LOG_LEVEL", "DEBUG"));
        assertThat(debug.exitCode()).isEqualTo(1);
        assertThat(debug.stderr()).contains("\tat ").contains("status: failed unexpectedly");
    }

    private record Run(int exitCode, String stderr) {}

    private static Run status(Map<String, String> env) throws Exception {
        Path err = Files.createTempFile("unexpected-err", ".txt");
        // The shipped logging configuration (the test classpath's own logs everything at INFO)
        ProcessBuilder pb = new ProcessBuilder(List.of(JavaProcess.javaExecutable(), "-Dlogback.configurationFile=logback.xml",
                "-cp", JavaProcess.classpath(), DrydockControl.class.getName(), "status"))
                .redirectError(err.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().remove("DRYDOCK_DB_URL"); // the local database under DRYDOCK_HOME is the one tried
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("drydock-control status did not finish in 60 s");
        }
        return new Run(p.exitValue(), Files.readString(err, StandardCharsets.UTF_8));
    }
}
